import { describe, expect, it } from "vitest";
import { httpStatusError, toDownloadError } from "./download-errors.js";
import { parseLinkedEtag, splitPartNames } from "./remote-file.js";

describe("remote files", () => {
  it("names every part of a split model", () => {
    expect(splitPartNames("Q4/m-00001-of-00003.gguf")).toEqual([
      "Q4/m-00001-of-00003.gguf",
      "Q4/m-00002-of-00003.gguf",
      "Q4/m-00003-of-00003.gguf",
    ]);
    expect(splitPartNames("m.gguf")).toEqual(["m.gguf"]);
  });

  it("reads the sha256 out of X-Linked-ETag and ignores git hashes", () => {
    const hash = "a".repeat(64);
    expect(parseLinkedEtag(`"${hash}"`)).toBe(hash);
    expect(parseLinkedEtag(`W/"${hash.toUpperCase()}"`)).toBe(hash);
    expect(parseLinkedEtag(`"${"b".repeat(40)}"`)).toBeNull();
    expect(parseLinkedEtag(null)).toBeNull();
  });
});

describe("download errors", () => {
  const context = { repo: "o/r", fileName: "m.gguf", dir: "/d", withToken: false };
  it("maps HTTP statuses to what the user can do", () => {
    expect(httpStatusError(401, context)).toMatchObject({ code: "GATED_MODEL", message: expect.stringMatching(/Settings/) });
    expect(httpStatusError(401, { ...context, withToken: true }).message).toMatch(/refused the access token/);
    expect(httpStatusError(403, context).code).toBe("GATED_MODEL");
    expect(httpStatusError(401, { ...context, errorCode: "RepoNotFound" }).code).toBe("NOT_FOUND");
    expect(httpStatusError(404, context).code).toBe("NOT_FOUND");
    expect(httpStatusError(503, context)).toMatchObject({ code: "NETWORK", retryable: true });
  });

  it("never keeps the downloader's HTTP error (it carries the request headers) as a cause", () => {
    const error = toDownloadError({ statusCode: 401, headers: { Authorization: "Bearer secret" } }, context);
    expect(error.cause).toBeUndefined();
    expect(JSON.stringify(error)).not.toContain("secret");
    expect(toDownloadError(Object.assign(new Error("write"), { code: "ENOSPC" }), context).code).toBe("DISK_FULL");
    expect(toDownloadError(new TypeError("fetch failed"), context)).toMatchObject({ code: "NETWORK", retryable: true });
  });
});
