import { AppError } from "../../contract/index.js";
import { SecondPassUnavailable } from "../cloud/redact/llm-pass.js";
import { hostLimits, type HostError } from "./protocol.js";

/** What the user reads when the model's process died under an answer or a load. */
export const CRASH_MESSAGE = "The model runtime stopped unexpectedly; the model may be damaged or unsupported.";

export function crashError(cause?: unknown): AppError {
  return new AppError("ENGINE_CRASHED", CRASH_MESSAGE, { retryable: true, cause });
}

/** The host broke the protocol (a malformed message, a flood): it is stopped and treated as a crash. */
export function protocolError(what: string): AppError {
  return new AppError(
    "ENGINE_CRASHED",
    `The model runtime sent a message Hearth could not accept (${what}), so Hearth stopped it; the next message starts it again.`,
    { retryable: true },
  );
}

export function quickRestartsError(count: number, windowMs: number): AppError {
  return new AppError(
    "ENGINE_CRASHED",
    `The model runtime stopped unexpectedly ${count} times within ${Math.round(windowMs / 1000)} seconds, so Hearth is not ` +
      "restarting it for now; the model may be damaged or unsupported. Choose another model, or try again in a minute.",
    { retryable: true },
  );
}

/** In the host: anything thrown, as it may cross (unknown errors never leak their text, as at the contract). */
export function toHostError(error: unknown): HostError {
  if (error instanceof SecondPassUnavailable) {
    return { kind: "second-pass-unavailable", status: error.status, message: error.message.slice(0, hostLimits.maxTextChars) };
  }
  if (error instanceof AppError) {
    const json = error.toJSON();
    return { kind: "app", error: { ...json, message: json.message.slice(0, hostLimits.maxTextChars) } };
  }
  return {
    kind: "app",
    error: { code: "INTERNAL", message: "Something went wrong inside Hearth. The details are in the log.", retryable: false },
  };
}

/** In the core: the error the caller would have got from the engine in-process. */
export function fromHostError(error: HostError): Error {
  if (error.kind === "second-pass-unavailable") return new SecondPassUnavailable(error.status, error.message);
  return AppError.from(error.error);
}
