import { z } from "zod";

/** The lowest port the Settings field accepts (below it needs privileges); 0 (any free port) is for tests only. */
export const MIN_API_PORT = 1024;
export const DEFAULT_API_PORT = 8765;
/** At most this many origins may be allowed to call the local API from a web page. */
export const MAX_API_ORIGINS = 20;

/** An origin a browser sends: scheme://host[:port], no path. */
export const apiOriginSchema = z
  .string()
  .trim()
  .max(300)
  .regex(/^https?:\/\/[a-z0-9.\-[\]:]+$/i, "an origin like http://localhost:3000 (scheme, host, optional port; no path)");

/**
 * The local OpenAI-compatible server as Settings shows it: decided in the core (policy, switch, port, key), only
 * displayed by the UI.
 */
export const apiServerStateSchema = z.object({
  /** The user's switch (or the launch's --api-port); the server runs only while this is on and the policy allows it. */
  enabled: z.boolean(),
  /** Whether it is listening now. */
  running: z.boolean(),
  /** The port set in Settings (or by the launch). */
  port: z.number().int().min(0).max(65535),
  /** Where it listens now, e.g. http://127.0.0.1:8765/v1; null when off. */
  url: z.string().max(200).nullable(),
  /** The key with all but its last 4 characters hidden; the full key only through revealApiKey. */
  keyPreview: z.string().max(200),
  /** The key was set for this launch (--api-key or HEARTH_API_KEY): rotating replaces it until the next launch. */
  keyFromLaunch: z.boolean(),
  /** Web pages from these origins may call the API (CORS); none by default. */
  allowedOrigins: z.array(z.string().max(300)).max(MAX_API_ORIGINS),
  /** Why the organisation's policy forbids the server; null when it is allowed. */
  policyRefusal: z.string().max(2000).nullable(),
  /** Why it could not start (the port is taken...); null when it runs or is off. */
  problem: z.string().max(2000).nullable(),
});
export type ApiServerState = z.infer<typeof apiServerStateSchema>;

export const apiServerUpdateSchema = z
  .object({
    enabled: z.boolean().optional(),
    port: z.number().int().min(MIN_API_PORT).max(65535).optional(),
    allowedOrigins: z.array(apiOriginSchema).max(MAX_API_ORIGINS).optional(),
  })
  .strict();
export type ApiServerUpdate = z.infer<typeof apiServerUpdateSchema>;

/** One request to the local API, as the activity view lists it (never its payload). */
export const apiActivityEntrySchema = z.object({
  id: z.number().int().nonnegative(),
  /** When the request arrived (ms since the epoch). */
  at: z.number(),
  method: z.string().max(10),
  path: z.string().max(200),
  /** The calling program as it names itself (User-Agent, cut short), and the connection's local port. */
  client: z.string().max(200),
  remotePort: z.number().int().min(0).max(65535).nullable(),
  model: z.string().max(200).nullable(),
  stream: z.boolean(),
  inputTokens: z.number().int().nonnegative().nullable(),
  outputTokens: z.number().int().nonnegative().nullable(),
  durationMs: z.number().nonnegative(),
  /** The HTTP status sent; 499 when the client went away before the end. */
  status: z.number().int().min(100).max(599),
  /** The error's code for a refused or failed request (invalid_api_key, rate_limit_exceeded...). */
  error: z.string().max(200).nullable(),
});
export type ApiActivityEntry = z.infer<typeof apiActivityEntrySchema>;

/** The activity view keeps at most this many requests (newest first), in memory only. */
export const MAX_API_ACTIVITY = 500;
