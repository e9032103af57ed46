import type { IncomingMessage } from "node:http";
import { ApiError, badRequest } from "./api-error.js";

/**
 * The JSON body, read up to `maxBytes`: a larger declared length is refused before reading, a body that grows past
 * it mid-way is cut off there (413), so a flood holds at most `maxBytes` per connection.
 */
export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const tooLarge = () =>
    new ApiError(413, `The request body is larger than ${Math.round(maxBytes / 1024)} KiB.`, "invalid_request_error", "request_too_large");
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) {
    request.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      // Read no more; the reply closes the connection, dropping the rest.
      request.pause();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") throw badRequest("The request body is empty; send a JSON object.", null, "invalid_json");
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("The request body is not valid JSON.", null, "invalid_json");
  }
}
