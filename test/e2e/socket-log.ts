import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { repoRoot } from "../fixtures/paths.js";

/**
 * Reads what test/fixtures/socket-recorder.cjs wrote: one line per outbound attempt of a watched process, with the
 * test's own phase markers in between, so each attempt can be placed in the step of the session that caused it.
 */

export const socketRecorder = path.join(repoRoot, "test/fixtures/socket-recorder.cjs");

export type SocketAttempt = {
  via: string;
  kind: "connect" | "send" | "lookup" | "spawn";
  host?: string;
  port?: unknown;
  /** A Unix socket or pipe: local by definition. */
  path?: string;
  /** A child process: its program and first arguments, and whether it is Node recording into the same log. */
  command?: string;
  watched?: boolean;
  pid: number;
  thread: number;
  stack: string[];
  /** The last phase marker written before the attempt. */
  phase: string;
};

/** The environment that makes a Node process (and its workers and children) record into `logFile`. */
export function recorderEnv(logFile: string): Record<string, string> {
  const inherited = process.env.NODE_OPTIONS ?? "";
  return { NODE_OPTIONS: `${inherited} --require ${socketRecorder}`.trim(), HEARTH_SOCKET_LOG: logFile };
}

/** Marks the start of a step; every attempt recorded after it belongs to that step. */
export function markPhase(logFile: string, phase: string): void {
  fs.appendFileSync(logFile, `${JSON.stringify({ phase })}\n`);
}

export function readSocketLog(logFile: string): SocketAttempt[] {
  if (!fs.existsSync(logFile)) return [];
  let phase = "start";
  const attempts: SocketAttempt[] = [];
  for (const line of fs.readFileSync(logFile, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const entry = JSON.parse(line) as Partial<SocketAttempt> & { phase?: string };
    if (entry.phase !== undefined && entry.via === undefined) phase = entry.phase;
    else attempts.push({ ...(entry as SocketAttempt), phase });
  }
  return attempts;
}

/** 127.0.0.0/8, ::1 (also IPv4-mapped), `localhost`, or a Unix socket: nothing that can leave the machine. */
export function isLoopback(attempt: SocketAttempt): boolean {
  if (attempt.kind === "spawn") throw new Error("A child process has no destination; check `watched` instead.");
  if (attempt.path !== undefined) return true;
  const host = (attempt.host ?? "").replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (net.isIPv4(host)) return host.startsWith("127.");
  if (net.isIPv6(host)) return host === "::1" || /^::ffff:127\./.test(host);
  return false;
}

/** One line per attempt for a failing assertion's message. */
export function describeAttempt(a: SocketAttempt): string {
  const target = a.command ?? a.path ?? `${a.host}${a.port === undefined ? "" : `:${String(a.port)}`}`;
  return `[${a.phase}] ${a.kind} ${target} via ${a.via} (pid ${a.pid}, thread ${a.thread}) ${a.stack.join(" < ")}`;
}
