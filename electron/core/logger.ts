import type { Logger } from "./core-types.js";

/** JSON lines on stderr. Callers pass fields, never secrets: no token, key or message text is ever logged. */
export function createStderrLogger(minLevel: "info" | "warn" | "error" = "info"): Logger {
  const order = { info: 0, warn: 1, error: 2 } as const;
  const write = (level: keyof typeof order, message: string, fields?: Record<string, unknown>) => {
    if (order[level] < order[minLevel]) return;
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`);
  };
  return {
    info: (message, fields) => write("info", message, fields),
    warn: (message, fields) => write("warn", message, fields),
    error: (message, fields) => write("error", message, fields),
  };
}
