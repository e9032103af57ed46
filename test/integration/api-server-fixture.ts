import http from "node:http";
import type { ModelInfo } from "../../electron/contract/index.js";
import type { ApiServerLimits } from "../../electron/core/api-server/api-server.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { createStderrLogger } from "../../electron/core/logger.js";
import { call } from "../fixtures/core-call.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";

export const TEST_API_KEY = "test-key-0123456789abcdef";

export type ApiFixture = { core: CoreInternals; baseURL: string; port: number; model: ModelInfo };

/** A real core with stories260K installed and the local API on a free port, keyed with TEST_API_KEY. */
export async function openApiCore(
  options: { limits?: Partial<ApiServerLimits>; policyFile?: string; dataDir?: string } = {},
): Promise<ApiFixture> {
  const core = await createCore({
    dataDir: options.dataDir ?? tempDir(),
    shell: "browser",
    threads: 1,
    logger: createStderrLogger("error"),
    policyFile: options.policyFile ?? null,
    apiServer: { port: 0, key: TEST_API_KEY, limits: options.limits },
  });
  const model = await call<ModelInfo>(core, "importModel", { path: storiesModel });
  const state = core.apiServer.state();
  if (!state.url) {
    await core.dispose();
    throw new Error(`the API server did not start: ${state.problem ?? state.policyRefusal}`);
  }
  const port = Number(new URL(state.url).port);
  return { core, baseURL: state.url, port, model };
}

export type RawResponse = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** A request with full control of its headers (Host, Origin), which fetch does not allow. */
export function rawRequest(
  port: number,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: "127.0.0.1", port, method: options.method ?? "GET", path: options.path ?? "/v1/models", headers: options.headers, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(options.body);
  });
}

export const auth = { authorization: `Bearer ${TEST_API_KEY}` };

/** Waits until the activity view has `count` entries (they are recorded when the engine has finished). */
export async function activityCount(core: CoreInternals, count: number, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const entries = core.apiServer.activityList();
    if (entries.length >= count || Date.now() > until) return entries;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
