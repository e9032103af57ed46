import {
  AppError,
  DEFAULT_API_PORT,
  apiServerUpdateSchema,
  type ApiActivityEntry,
  type ApiServerState,
  type ApiServerUpdate,
  type Policy,
} from "../../contract/index.js";
import type { Logger } from "../core-types.js";
import type { SecretStore } from "../secrets/secret-store.js";
import { ApiActivity } from "./api-activity.js";
import type { ApiEngine, ApiModel } from "./api-engine.js";
import { checkApiKeyShape, generateApiKey, maskApiKey } from "./api-key.js";
import { startApiServer, type ApiServerLimits, type RunningApiServer } from "./api-server.js";

const KEY_SECRET = "localApiKey";
const SETTINGS_KEY = "localApi";

type StoredSettings = { enabled: boolean; port: number; allowedOrigins: string[] };

export type ApiServerServiceOptions = {
  engine: ApiEngine;
  models: () => ApiModel[];
  settings: { getSetting(key: string): string | null; setSetting(key: string, value: string | null): void };
  secrets: SecretStore;
  policy: () => Policy;
  /** --api-port / HEARTH_API_PORT: on at this port for this launch (0: any free port, for tests). */
  launchPort?: number | null;
  /** --api-key / HEARTH_API_KEY: the key for this launch, instead of the stored one. */
  launchKey?: string | null;
  limits?: Partial<ApiServerLimits>;
  onChange?: () => void;
  logger?: Logger;
};

/**
 * The local API server's switch, port, key and allowed origins, and the server itself: one owner that starts and
 * stops it as the settings and the organisation's policy say. Off unless switched on (or started with a port).
 */
export class ApiServerService {
  readonly activity = new ApiActivity();
  private server: RunningApiServer | null = null;
  private problem: string | null = null;
  private launchPort: number | null;
  private launchKey: string | null;
  /** Start and stop one at a time (a switch flicked twice must not leave two servers). */
  private transition: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ApiServerServiceOptions) {
    this.launchPort = options.launchPort ?? null;
    const launchKey = options.launchKey?.trim() || null;
    if (launchKey) {
      const problem = checkApiKeyShape(launchKey);
      if (problem) throw new AppError("INVALID_INPUT", problem);
    }
    this.launchKey = launchKey;
  }

  /** Why the policy forbids the server, or null. */
  policyRefusal(): string | null {
    const policy = this.options.policy();
    if (policy.allowLocalApi !== false) return null;
    return `Your organisation's policy does not allow the local API server${policy.source ? ` (${policy.source})` : ""}.`;
  }

  private stored(): StoredSettings {
    const fallback: StoredSettings = { enabled: false, port: DEFAULT_API_PORT, allowedOrigins: [] };
    const raw = this.options.settings.getSetting(SETTINGS_KEY);
    if (!raw) return fallback;
    try {
      const parsed = apiServerUpdateSchema.safeParse(JSON.parse(raw));
      return parsed.success ? { ...fallback, ...parsed.data } : fallback;
    } catch {
      return fallback;
    }
  }

  private enabled(): boolean {
    return this.launchPort !== null || this.stored().enabled;
  }

  private port(): number {
    return this.launchPort ?? this.stored().port;
  }

  /** The key in force: the launch's, else the stored one, made when the server first starts (or is asked for). */
  key(): string {
    const current = this.currentKey();
    if (current) return current;
    const key = generateApiKey();
    this.options.secrets.set(KEY_SECRET, key);
    return key;
  }

  /** The key if there is one yet; never writes, never throws (an unreadable secret store reads as none). */
  private currentKey(): string | null {
    if (this.launchKey) return this.launchKey;
    try {
      return this.options.secrets.get(KEY_SECRET);
    } catch {
      return null;
    }
  }

  state(): ApiServerState {
    const running = this.server;
    const key = this.currentKey();
    return {
      enabled: this.enabled(),
      running: running !== null,
      port: this.port(),
      url: running ? `http://127.0.0.1:${running.port}/v1` : null,
      keyPreview: key ? maskApiKey(key) : "",
      keyFromLaunch: this.launchKey !== null,
      allowedOrigins: this.stored().allowedOrigins,
      policyRefusal: this.policyRefusal(),
      problem: this.problem,
    };
  }

  activityList(limit?: number): ApiActivityEntry[] {
    return this.activity.list(limit);
  }

  /** Starts the server when it is switched on and allowed; a failure (port taken) is kept for Settings. */
  apply(): Promise<ApiServerState> {
    const run = this.transition.then(async () => {
      const want = this.enabled() && this.policyRefusal() === null;
      const port = this.port();
      if (this.server && (!want || (port !== 0 && this.server.port !== port))) {
        await this.server.close();
        this.server = null;
      }
      if (want && !this.server) {
        try {
          // Made (and sealed in the secret store) before the first request can need it.
          this.key();
        } catch (error) {
          this.problem = `The local API key could not be read or stored (${error instanceof Error ? error.message : "unknown error"}).`;
          return;
        }
        try {
          this.server = await startApiServer(
            {
              engine: this.options.engine,
              models: this.options.models,
              key: () => this.key(),
              allowedOrigins: () => this.stored().allowedOrigins,
              activity: this.activity,
              limits: this.options.limits,
              logger: this.options.logger,
            },
            port,
          );
          this.problem = null;
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          this.problem =
            code === "EADDRINUSE"
              ? `Port ${port} is already used by another program; choose another port.`
              : `The local API server could not start (${code ?? "unknown error"}).`;
          this.options.logger?.warn("local API server did not start", { port, code });
        }
      } else if (!want) {
        this.problem = null;
      }
    });
    this.transition = run.catch(() => undefined);
    return run.then(() => {
      this.options.onChange?.();
      return this.state();
    });
  }

  async update(input: ApiServerUpdate): Promise<ApiServerState> {
    const refusal = this.policyRefusal();
    if (input.enabled === true && refusal) throw new AppError("POLICY_LOCKED", refusal);
    const next = { ...this.stored() };
    if (input.enabled !== undefined) next.enabled = input.enabled;
    if (input.port !== undefined) next.port = input.port;
    if (input.allowedOrigins !== undefined) next.allowedOrigins = [...new Set(input.allowedOrigins.map((o) => o.toLowerCase()))];
    // A change in Settings takes over from the launch's --api-port.
    if (input.enabled !== undefined || input.port !== undefined) this.launchPort = null;
    this.options.settings.setSetting(SETTINGS_KEY, JSON.stringify(next));
    return this.apply();
  }

  /** A new key; the old one stops working at once (requests check the key in force each time). */
  rotateKey(): ApiServerState {
    this.launchKey = null;
    this.options.secrets.set(KEY_SECRET, generateApiKey());
    this.options.onChange?.();
    return this.state();
  }

  revealKey(): string {
    return this.key();
  }

  async dispose(): Promise<void> {
    await this.transition;
    await this.server?.close();
    this.server = null;
  }
}
