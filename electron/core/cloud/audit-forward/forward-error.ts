import { AppError } from "../../../contract/index.js";
import { networkCode } from "../egress.js";

const tlsCodes = new Set([
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_GET_ISSUER_CERT",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_SIGNATURE_FAILURE",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "ERR_SSL_WRONG_VERSION_NUMBER",
]);

/**
 * The collector refused a batch as too large (HTTP 413). The forwarder then sends the records of that batch one at a
 * time; a single record it still refuses needs a smaller `maxRecordBytes` in the policy (the message says so).
 */
export class TooLargeForCollector extends AppError {
  constructor(records: number) {
    super(
      "NETWORK",
      records > 1
        ? `the collector refused a batch of ${records} records as too large (HTTP 413); sending them one at a time`
        : "the collector refused one record as too large (HTTP 413); lower maxRecordBytes in the policy's auditCollector",
      { retryable: true },
    );
  }
}

/**
 * A delivery failure as the status line and the log show it: a short reason from the system error code, never the
 * error's own text (which may quote a URL, a header or the peer's bytes).
 */
export function forwardFailure(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code = networkCode(error);
  const message =
    code === "ECONNREFUSED"
      ? "connection refused"
      : code === "ECONNRESET" || code === "EPIPE"
        ? `connection reset by the collector (${code})`
        : code === "ENOTFOUND" || code === "EAI_AGAIN"
          ? `host not found (${code})`
          : code === "ETIMEDOUT" || code === "EHOSTUNREACH" || code === "ENETUNREACH"
            ? `collector unreachable (${code})`
            : tlsCodes.has(code) || code.startsWith("ERR_SSL") || code.startsWith("ERR_TLS")
              ? `the collector's TLS certificate or handshake was refused (${code})`
              : code === "HPE_HEADER_OVERFLOW"
                ? `the collector's reply headers are too large (${code})`
                : code.startsWith("HPE_")
                  ? `the collector's reply is not valid HTTP (${code})`
                  : code === "ENOENT" || code === "EACCES" || code === "EPERM" || code === "ENOSPC" || code === "EROFS" || code === "EISDIR"
                ? `cannot write the file (${code})`
                : `delivery failed (${code})`;
  return new AppError("NETWORK", message, { retryable: true, cause: error });
}
