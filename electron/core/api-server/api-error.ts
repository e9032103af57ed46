import { AppError } from "../../contract/index.js";

/** OpenAI's error body: `{ error: { message, type, param, code } }`, which every OpenAI client parses. */
export type ApiErrorBody = { error: { message: string; type: string; param: string | null; code: string | null } };

/** A refusal with its HTTP status and OpenAI-style body; thrown inside the server and sent by one writer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly code: string | null = null,
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = "ApiError";
  }

  body(): ApiErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export const badRequest = (message: string, param: string | null = null, code: string | null = "invalid_request") =>
  new ApiError(400, message, "invalid_request_error", code, param);

/** The core's own errors as the API reports them: the user-facing message, with a status a client acts on. */
export function apiErrorOf(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof AppError) {
    switch (error.code) {
      case "MODEL_NOT_FOUND":
      case "MODEL_FILE_MISSING":
        return new ApiError(404, error.message, "invalid_request_error", "model_not_found", "model");
      case "CONTEXT_FULL":
        return new ApiError(400, error.message, "invalid_request_error", "context_length_exceeded", "messages");
      case "INVALID_INPUT":
        return badRequest(error.message);
      case "INSUFFICIENT_MEMORY":
      case "BUSY":
        return new ApiError(503, error.message, "server_error", error.code.toLowerCase());
      case "ABORTED":
        return new ApiError(499, error.message, "request_aborted", "aborted");
      default:
        return new ApiError(500, error.message, "server_error", error.code.toLowerCase());
    }
  }
  // Never a raw exception text: it may hold paths or the prompt.
  return new ApiError(500, "The local model failed while answering.", "server_error", "internal_error");
}
