import { randomUUID } from "node:crypto";
import type { Policy, Provider, ProviderKind } from "../../contract/index.js";
import { AppError, providerKindSchema } from "../../contract/index.js";
import { assertMayCarrySecret, secretOrigin } from "../secrets/secret-origin.js";
import type { SecretStore } from "../secrets/secret-store.js";
import type { Db } from "../store/database.js";
import { providerIsInternal, providerRefusal } from "./egress.js";
import { providerAdapter } from "./providers/registry.js";

export type ProviderInput = {
  id?: string;
  kind: ProviderKind;
  name: string;
  baseUrl?: string | null;
  model: string;
  /** A new key, or null to delete the stored one; omitted keeps it. */
  apiKey?: string | null;
  inputPricePerMTok?: number | null;
  outputPricePerMTok?: number | null;
};

type Row = {
  id: string;
  kind: ProviderKind;
  name: string;
  base_url: string | null;
  model: string;
  input_price: number | null;
  output_price: number | null;
  created_at: number;
};

/** Query parameters that carry credentials: a base URL holding one would put a key in the database. */
const secretParams = /^(key|api[-_]?key|token|access[-_]?token|auth|sig|signature|password|secret)$/i;

const secretName = (id: string) => `provider:${id}`;

/**
 * Providers in the `providers` table; their keys only in the SecretStore (`provider:<id>`), never in the database.
 * A key is bound to the origin of the base URL it was entered for: saving the provider with a base URL on another
 * origin removes the key (the result says so), and a key is only handed out for the origin it is bound to.
 */
export class ProviderStore {
  /** Why a provider's key was removed, until a key is entered or removed again; shown in Settings. */
  private readonly keyNotices = new Map<string, string>();
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly db: Db,
    readonly secrets: SecretStore,
    /** The organisation's policy: each provider returned says whether it refuses it (`policyRefusal`). */
    private readonly policy?: () => Policy,
  ) {
    try {
      this.bindLegacyKeys();
    } catch {
      // An unreadable secrets file (a reset keychain) must not stop the app; using a key reports it.
    }
  }

  /** Called after a provider is saved or removed (every window's cloud access may change); returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  list(): Provider[] {
    const rows = this.db.prepare(`SELECT * FROM providers ORDER BY created_at, rowid`).all() as Row[];
    return rows.map((row) => this.toProvider(row));
  }

  get(id: string): Provider | null {
    const row = this.db.prepare(`SELECT * FROM providers WHERE id = ?`).get(id) as Row | undefined;
    return row ? this.toProvider(row) : null;
  }

  /** Creates, or updates the provider with `id` (keeping its key unless `apiKey` is given). */
  save(input: ProviderInput): Provider {
    const kind = providerKindSchema.parse(input.kind);
    const name = input.name.trim();
    const model = input.model.trim();
    if (!name) throw new AppError("INVALID_INPUT", "Give the provider a name.");
    if (!model) throw new AppError("INVALID_INPUT", "Name the model to use, e.g. gpt-4.1 or claude-sonnet-4-5.");
    const existing = input.id ? this.get(input.id) : null;
    const baseUrl = input.baseUrl === undefined ? (existing?.baseUrl ?? null) : normalizeBaseUrl(input.baseUrl, kind);
    if (kind === "openai-compatible" && baseUrl === null) {
      throw new AppError("INVALID_INPUT", "An OpenAI-compatible server needs its base URL, e.g. http://localhost:8000/v1.");
    }
    const price = (value: number | null | undefined, previous: number | null | undefined) => {
      const chosen = value === undefined ? (previous ?? null) : value;
      if (chosen !== null && !(Number.isFinite(chosen) && chosen >= 0)) throw new AppError("INVALID_INPUT", "Prices must be zero or more.");
      return chosen;
    };
    const origin = keyOrigin(kind, baseUrl);
    const newKey = input.apiKey?.trim() || null;
    if (newKey !== null) {
      if (origin === null) throw new AppError("INVALID_INPUT", "The base URL is not an http(s) address.");
      assertMayCarrySecret(origin, "API keys");
    }
    const row: Row = {
      id: existing?.id ?? input.id ?? randomUUID(),
      kind,
      name,
      base_url: baseUrl,
      model,
      input_price: price(input.inputPricePerMTok, existing?.inputPricePerMTok),
      output_price: price(input.outputPricePerMTok, existing?.outputPricePerMTok),
      created_at: existing?.createdAt ?? Date.now(),
    };
    this.db
      .prepare(
        `INSERT INTO providers (id, kind, name, base_url, model, input_price, output_price, created_at)
         VALUES (@id, @kind, @name, @base_url, @model, @input_price, @output_price, @created_at)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, base_url = excluded.base_url,
           model = excluded.model, input_price = excluded.input_price, output_price = excluded.output_price`,
      )
      .run(row);
    const keyName = secretName(row.id);
    if (input.apiKey !== undefined) {
      this.secrets.set(keyName, newKey, origin);
      this.keyNotices.delete(row.id);
    } else {
      const stored = this.secrets.entry(keyName);
      if (stored && stored.origin !== origin) {
        // Entered for another host: never sent to this one. The user enters it again if it belongs here too.
        this.secrets.set(keyName, null);
        this.keyNotices.set(row.id, `The API key was removed because the base URL changed to ${origin ?? "another address"}; enter it again for the new host.`);
      }
    }
    this.changed();
    return this.toProvider(row);
  }

  remove(id: string): void {
    this.db.prepare(`DELETE FROM providers WHERE id = ?`).run(id);
    this.secrets.set(secretName(id), null);
    this.keyNotices.delete(id);
    this.changed();
  }

  /** The key, for the egress path only; null unless it is bound to the origin of the provider's base URL. */
  apiKey(id: string): string | null {
    const row = this.row(id);
    return row ? this.usableKey(row) : null;
  }

  private row(id: string): Row | null {
    return (this.db.prepare(`SELECT * FROM providers WHERE id = ?`).get(id) as Row | undefined) ?? null;
  }

  private usableKey(row: Row): string | null {
    const stored = this.secrets.entry(secretName(row.id));
    const origin = keyOrigin(row.kind, row.base_url);
    return stored && stored.origin !== null && stored.origin === origin ? stored.value : null;
  }

  /** Keys stored before keys were bound (no origin) were entered for the provider's base URL as it is: bind them. */
  private bindLegacyKeys(): void {
    for (const row of this.db.prepare(`SELECT * FROM providers`).all() as Row[]) {
      const stored = this.secrets.entry(secretName(row.id));
      const origin = keyOrigin(row.kind, row.base_url);
      if (stored && stored.origin === null && origin !== null) this.secrets.bind(secretName(row.id), origin);
    }
  }

  private toProvider(row: Row): Provider {
    const key = this.usableKey(row);
    const provider: Provider = {
      id: row.id,
      kind: row.kind,
      name: row.name,
      baseUrl: row.base_url,
      model: row.model,
      hasKey: key !== null,
      keyOrigin: key === null ? null : keyOrigin(row.kind, row.base_url),
      keyNotice: this.keyNotices.get(row.id) ?? null,
      inputPricePerMTok: row.input_price,
      outputPricePerMTok: row.output_price,
      createdAt: row.created_at,
    };
    if (!this.policy) return provider;
    const policy = this.policy();
    // `internal` only when true, so providers read exactly as before where the policy names no internal hosts.
    return {
      ...provider,
      policyRefusal: providerRefusal(policy, provider)?.message ?? null,
      ...(providerIsInternal(policy, provider) ? { internal: true } : {}),
    };
  }
}

/** The origin requests (and the key) go to: the base URL's, or the kind's public endpoint's. */
function keyOrigin(kind: ProviderKind, baseUrl: string | null): string | null {
  const url = baseUrl ?? providerAdapter(kind).defaultBaseUrl;
  return url === null ? null : secretOrigin(url);
}

/** An http(s) URL without credentials, fragment or trailing slash; null for none. */
export function normalizeBaseUrl(value: string | null, kind: ProviderKind): string | null {
  const text = value?.trim() ?? "";
  if (!text) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AppError("INVALID_INPUT", "The base URL is not a valid address; it looks like https://host/v1.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new AppError("INVALID_INPUT", "The base URL must start with https:// or http://.");
  if (url.username || url.password) {
    throw new AppError("INVALID_INPUT", "Put credentials in the API key field, not in the base URL: the URL is stored unencrypted.");
  }
  for (const name of url.searchParams.keys()) {
    if (secretParams.test(name)) {
      throw new AppError("INVALID_INPUT", "Put the key in the API key field, not in the base URL: the URL is stored unencrypted.");
    }
  }
  if (url.search && kind !== "openai-compatible") {
    throw new AppError("INVALID_INPUT", "Only an OpenAI-compatible server's base URL may carry query parameters (e.g. Azure's api-version).");
  }
  url.hash = "";
  url.pathname = url.pathname.replace(/\/+$/, "");
  return url.toString().replace(/\/(\?|$)/, "$1");
}
