import {
  AppError,
  escalationLevelSchema,
  privacyModeSchema,
  type AppSettings,
  type EscalationLevel,
  type Policy,
  type PrivacyMode,
} from "../../contract/index.js";
import type { SecretStore } from "../secrets/secret-store.js";
import type { Store } from "../store/store.js";

export const DEFAULT_HF_ENDPOINT = "https://huggingface.co";
const HF_TOKEN = "huggingFaceToken";

export type SettingsUpdate = {
  huggingFaceEndpoint?: string;
  huggingFaceToken?: string | null;
  defaultPrivacyMode?: PrivacyMode;
  escalationLevel?: EscalationLevel;
  redactionTerms?: string[];
};

/**
 * App-wide settings: plain values in the database, secrets in the SecretStore (never returned, only "is set"),
 * and the organisation policy on top, which wins over both.
 */
export class SettingsService {
  constructor(
    private readonly store: Store,
    private readonly secrets: SecretStore,
    private readonly policy: () => Policy,
    private readonly defaults: { huggingFaceEndpoint?: string; modelsDir: string },
  ) {}

  huggingFaceEndpoint(): string {
    return (
      this.policy().huggingFaceEndpoint?.replace(/\/+$/, "") ??
      this.store.getSetting("huggingFaceEndpoint") ??
      this.defaults.huggingFaceEndpoint ??
      DEFAULT_HF_ENDPOINT
    );
  }

  huggingFaceToken(): string | null {
    return this.secrets.get(HF_TOKEN);
  }

  defaultPrivacyMode(): PrivacyMode {
    const locked = this.policy().lockedPrivacyMode;
    if (locked) return locked;
    const parsed = privacyModeSchema.safeParse(this.store.getSetting("defaultPrivacyMode"));
    return parsed.success ? parsed.data : "local";
  }

  escalationLevel(): EscalationLevel {
    const parsed = escalationLevelSchema.safeParse(this.store.getSetting("escalationLevel"));
    return parsed.success ? parsed.data : "balanced";
  }

  redactionTerms(): string[] {
    const raw = this.store.getSetting("redactionTerms");
    return raw ? (JSON.parse(raw) as string[]) : [];
  }

  get(): AppSettings {
    return {
      huggingFaceEndpoint: this.huggingFaceEndpoint(),
      hasHuggingFaceToken: this.secrets.has(HF_TOKEN),
      modelsDir: this.defaults.modelsDir,
      secretsWarning: this.secrets.warning,
      defaultPrivacyMode: this.defaultPrivacyMode(),
      escalationLevel: this.escalationLevel(),
      redactionTerms: this.redactionTerms(),
      policy: this.policy(),
    };
  }

  update(input: SettingsUpdate): AppSettings {
    const policy = this.policy();
    if (input.huggingFaceEndpoint !== undefined) {
      if (policy.huggingFaceEndpoint) {
        throw new AppError("POLICY_LOCKED", "Your organisation's policy sets the Hugging Face endpoint.");
      }
      const url = new URL(input.huggingFaceEndpoint);
      if (url.protocol !== "https:" && url.protocol !== "http:") {
        throw new AppError("INVALID_INPUT", "The Hugging Face endpoint must be an http(s) address.");
      }
      if (url.username || url.password) {
        throw new AppError("INVALID_INPUT", "Put credentials in the access token field, not in the endpoint address.");
      }
      const normalised = url.toString().replace(/\/+$/, "");
      this.store.setSetting("huggingFaceEndpoint", normalised === DEFAULT_HF_ENDPOINT ? null : normalised);
    }
    if (input.defaultPrivacyMode !== undefined) {
      if (policy.lockedPrivacyMode && input.defaultPrivacyMode !== policy.lockedPrivacyMode) {
        throw new AppError("POLICY_LOCKED", `Your organisation's policy keeps every conversation in "${policy.lockedPrivacyMode}" mode.`);
      }
      this.store.setSetting("defaultPrivacyMode", input.defaultPrivacyMode);
    }
    if (input.escalationLevel !== undefined) this.store.setSetting("escalationLevel", input.escalationLevel);
    if (input.redactionTerms !== undefined) {
      const terms = [...new Set(input.redactionTerms.map((t) => t.trim()).filter(Boolean))];
      this.store.setSetting("redactionTerms", JSON.stringify(terms));
    }
    if (input.huggingFaceToken !== undefined) this.secrets.set(HF_TOKEN, input.huggingFaceToken);
    return this.get();
  }
}
