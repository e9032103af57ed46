import { z } from "zod";

/** Every failure the app reports has one of these codes; the UI keys its "way forward" off them. */
export const appErrorCodes = [
  "INVALID_INPUT",
  "NOT_FOUND",
  "MODEL_NOT_FOUND",
  "MODEL_FILE_MISSING",
  "NOT_GGUF",
  "GGUF_TRUNCATED",
  "DAMAGED_MODEL",
  "UNSUPPORTED_ARCHITECTURE",
  "INSUFFICIENT_MEMORY",
  "MODEL_LOAD_FAILED",
  "NO_MODEL_SELECTED",
  "GENERATION_FAILED",
  "BUSY",
  "ABORTED",
  "UNAUTHORIZED",
  "GATED_MODEL",
  "NETWORK",
  "DOWNLOAD_FAILED",
  "DOWNLOAD_CHECKSUM",
  /** A file with the same contents (sha256) is already in the model list; the message names that model. */
  "ALREADY_INSTALLED",
  "DISK_FULL",
  "EGRESS_BLOCKED",
  "POLICY_LOCKED",
  "NO_PROVIDER",
  "PROVIDER_AUTH",
  "PROVIDER_RATE_LIMIT",
  "PROVIDER_TIMEOUT",
  "PROVIDER_HTTP",
  "PROVIDER_STREAM",
  /** A key or token would go over plain http to another machine: refused before anything is sent. */
  "INSECURE_ENDPOINT",
  /** The encrypted database's key could not be unsealed (keychain refused it); nothing is changed. */
  "DATABASE_LOCKED",
  /** A database action that does not fit its state (restore with nothing damaged, no good backup to restore). */
  "DATABASE_STATE",
  /** The latest message (with the system prompt) does not fit the model's context, or the conversation asks before dropping older messages. */
  "CONTEXT_FULL",
  /** The process running the model (llama.cpp) died: the answer in progress ends interrupted; the next call restarts it. */
  "ENGINE_CRASHED",
  "INTERNAL",
] as const;

export type AppErrorCode = (typeof appErrorCodes)[number];

/**
 * A finer reason, for codes whose way forward differs by case. CONTEXT_FULL: "needs-dropping" (it fits once the
 * oldest messages go, and the conversation asks first: the UI offers to drop them) or "latest-turn-too-long"
 * (dropping cannot help: shorten the message or raise the context size).
 */
export const appErrorReasons = ["needs-dropping", "latest-turn-too-long"] as const;
export type AppErrorReason = (typeof appErrorReasons)[number];

export const appErrorSchema = z.object({
  code: z.enum(appErrorCodes),
  message: z.string(),
  retryable: z.boolean(),
  reason: z.enum(appErrorReasons).optional(),
});
export type SerializedAppError = z.infer<typeof appErrorSchema>;

/** An error meant for the user: `message` is shown as is, so it must never carry secrets or stack traces. */
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly retryable: boolean;
  readonly reason: AppErrorReason | undefined;

  constructor(code: AppErrorCode, message: string, options: { retryable?: boolean; cause?: unknown; reason?: AppErrorReason } = {}) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.reason = options.reason;
  }

  toJSON(): SerializedAppError {
    return { code: this.code, message: this.message, retryable: this.retryable, ...(this.reason ? { reason: this.reason } : {}) };
  }

  static from(serialized: SerializedAppError): AppError {
    return new AppError(serialized.code, serialized.message, { retryable: serialized.retryable, ...(serialized.reason ? { reason: serialized.reason } : {}) });
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Turns anything thrown into what may cross a process boundary; unknown errors never leak their text. */
export function serializeError(error: unknown): SerializedAppError {
  if (error instanceof AppError) return error.toJSON();
  return { code: "INTERNAL", message: "Something went wrong inside Hearth. The details are in the log.", retryable: false };
}
