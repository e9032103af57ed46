import { AppError } from "../api/contract.js";
import { isConnectionLost } from "../api/ws-api.js";
import { useHearth, type Notice } from "./store.js";

/** Anything thrown becomes an AppError; unknown errors never show their raw text. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError("INTERNAL", "Something went wrong. Please try again.", { cause: error });
}

let nextNoticeId = 1;

function push(notice: Omit<Notice, "id">): number {
  const id = nextNoticeId++;
  useHearth.setState((s) => ({ notices: [...s.notices.slice(-2), { ...notice, id }] }));
  return id;
}

export function reportError(error: unknown): void {
  // The connection banner already says the link is down, and everything is fetched again when it is back.
  if (isConnectionLost(error)) return;
  const appError = toAppError(error);
  push({ kind: "error", code: appError.code, message: appError.message });
}

/** A confirmation worth a moment's attention ("Freed 2.5 GB"). */
export function reportInfo(message: string): void {
  const id = push({ kind: "info", code: "INFO", message });
  // Errors wait for the user; a confirmation goes away on its own.
  setTimeout(() => dismissNotice(id), 8_000);
}

export function dismissNotice(id: number): void {
  useHearth.setState((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
}
