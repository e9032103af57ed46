import {
  AppError,
  escalationLevelSchema,
  defaultConversationSettings,
  presetSchema,
  privacyModeSchema,
  themeSchema,
  type AppSettings,
  type EscalationLevel,
  type Policy,
  type Preset,
  type PrivacyMode,
  type Theme,
} from "../../contract/index.js";
import { assertMayCarrySecret, secretOrigin } from "../secrets/secret-origin.js";
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
  askWhenUnsure?: boolean;
  localModelCheck?: boolean;
  theme?: Theme;
  defaultSystemPrompt?: string;
  presets?: Preset[];
};

/**
 * App-wide settings: plain values in the database, secrets in the SecretStore (never returned, only "is set"),
 * and the organisation policy on top, which wins over both.
 *
 * The access token is bound to the origin of the endpoint it was entered for: when the endpoint in force moves to
 * another origin (the user's change, or a new policy), the token is removed and Settings says why.
 */
export class SettingsService {
  /** Why the token was removed, until a token is entered or removed again; shown in Settings. */
  private tokenNotice: string | null = null;

  constructor(
    private readonly store: Store,
    private readonly secrets: SecretStore,
    private readonly policy: () => Policy,
    private readonly defaults: { huggingFaceEndpoint?: string; modelsDir: string },
  ) {
    try {
      this.reconcileToken();
    } catch {
      // An unreadable secrets file (a reset keychain) must not stop the app; reading the token reports it.
    }
  }

  huggingFaceEndpoint(): string {
    return (
      this.policy().huggingFaceEndpoint?.replace(/\/+$/, "") ??
      this.store.getSetting("huggingFaceEndpoint") ??
      this.defaults.huggingFaceEndpoint ??
      DEFAULT_HF_ENDPOINT
    );
  }

  /** The token, only while the endpoint in force has the origin it was entered for. */
  huggingFaceToken(): string | null {
    const entry = this.secrets.entry(HF_TOKEN);
    return entry && entry.origin !== null && entry.origin === secretOrigin(this.huggingFaceEndpoint()) ? entry.value : null;
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

  /** Auto mode asks before sending a message the redactor is unsure about: on unless turned off; the policy can force it. */
  askWhenUnsure(): boolean {
    if (this.policy().forceAskWhenUnsure) return true;
    return this.store.getSetting("askWhenUnsure") !== "false";
  }

  /** "Second check by the local model": off unless turned on. */
  localModelCheck(): boolean {
    return this.store.getSetting("localModelCheck") === "true";
  }

  /** Light, dark, or as the system is set (the default, and what a value this build does not know reads as). */
  theme(): Theme {
    const parsed = themeSchema.safeParse(this.store.getSetting("theme"));
    return parsed.success ? parsed.data : "system";
  }

  /** The system prompt new chats start with: the user's, else the built-in one. */
  defaultSystemPrompt(): string {
    return this.store.getSetting("defaultSystemPrompt") ?? defaultConversationSettings.systemPrompt;
  }

  /** Saved presets; a stored list that does not parse (edited by hand, an older format) reads as none. */
  presets(): Preset[] {
    const raw = this.store.getSetting("presets");
    if (raw === null) return [];
    try {
      const parsed = presetSchema.array().safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : [];
    } catch {
      return [];
    }
  }

  get(): AppSettings {
    return {
      huggingFaceEndpoint: this.huggingFaceEndpoint(),
      hasHuggingFaceToken: this.huggingFaceToken() !== null,
      huggingFaceTokenOrigin: this.huggingFaceToken() === null ? null : (this.secrets.entry(HF_TOKEN)?.origin ?? null),
      huggingFaceTokenNotice: this.tokenNoticeNow(),
      modelsDir: this.defaults.modelsDir,
      secretsWarning: this.secrets.warning,
      defaultPrivacyMode: this.defaultPrivacyMode(),
      escalationLevel: this.escalationLevel(),
      redactionTerms: this.redactionTerms(),
      askWhenUnsure: this.askWhenUnsure(),
      localModelCheck: this.localModelCheck(),
      theme: this.theme(),
      defaultSystemPrompt: this.defaultSystemPrompt(),
      presets: this.presets(),
      policy: this.policy(),
    };
  }

  update(input: SettingsUpdate): AppSettings {
    const policy = this.policy();
    // Everything is checked before anything is written: a refused token must not leave a half-applied change.
    let endpoint: string | undefined;
    if (input.huggingFaceEndpoint !== undefined) {
      if (policy.huggingFaceEndpoint) {
        throw new AppError("POLICY_LOCKED", "Your organisation's policy sets the Hugging Face endpoint.");
      }
      endpoint = normaliseEndpoint(input.huggingFaceEndpoint);
    }
    if (input.defaultPrivacyMode !== undefined && policy.lockedPrivacyMode && input.defaultPrivacyMode !== policy.lockedPrivacyMode) {
      throw new AppError("POLICY_LOCKED", `Your organisation's policy keeps every conversation in "${policy.lockedPrivacyMode}" mode.`);
    }
    if (input.askWhenUnsure === false && policy.forceAskWhenUnsure) {
      throw new AppError("POLICY_LOCKED", "Your organisation's policy keeps \"Ask when unsure\" on for Auto mode.");
    }
    const newToken = input.huggingFaceToken?.trim() || null;
    if (newToken !== null) assertMayCarrySecret(endpoint ?? this.huggingFaceEndpoint(), "access tokens");

    if (endpoint !== undefined) this.store.setSetting("huggingFaceEndpoint", endpoint === DEFAULT_HF_ENDPOINT ? null : endpoint);
    if (input.defaultPrivacyMode !== undefined) this.store.setSetting("defaultPrivacyMode", input.defaultPrivacyMode);
    if (input.escalationLevel !== undefined) this.store.setSetting("escalationLevel", input.escalationLevel);
    if (input.askWhenUnsure !== undefined) this.store.setSetting("askWhenUnsure", String(input.askWhenUnsure));
    if (input.localModelCheck !== undefined) this.store.setSetting("localModelCheck", String(input.localModelCheck));
    if (input.theme !== undefined) this.store.setSetting("theme", input.theme === "system" ? null : input.theme);
    if (input.presets !== undefined) {
      this.store.setSetting("presets", input.presets.length === 0 ? null : JSON.stringify(input.presets));
    }
    if (input.defaultSystemPrompt !== undefined) {
      const prompt = input.defaultSystemPrompt === defaultConversationSettings.systemPrompt ? null : input.defaultSystemPrompt;
      this.store.setSetting("defaultSystemPrompt", prompt);
    }
    if (input.redactionTerms !== undefined) {
      const terms = [...new Set(input.redactionTerms.map((t) => t.trim()).filter(Boolean))];
      this.store.setSetting("redactionTerms", JSON.stringify(terms));
    }
    const origin = secretOrigin(this.huggingFaceEndpoint());
    if (input.huggingFaceToken !== undefined) {
      this.secrets.set(HF_TOKEN, newToken, origin);
      this.tokenNotice = null;
    } else {
      this.reconcileToken();
    }
    return this.get();
  }

  /**
   * A token stored before tokens were bound (no origin) was entered for the endpoint in force: it is bound to it.
   * A token bound to another origin is removed, with the reason kept for Settings.
   */
  private reconcileToken(): void {
    const entry = this.secrets.entry(HF_TOKEN);
    if (!entry) return;
    const origin = secretOrigin(this.huggingFaceEndpoint());
    if (origin === null || entry.origin === origin) return;
    if (entry.origin === null) {
      this.secrets.bind(HF_TOKEN, origin);
      return;
    }
    this.secrets.set(HF_TOKEN, null);
    this.tokenNotice = removedTokenNotice(origin);
  }

  private tokenNoticeNow(): string | null {
    // A token bound elsewhere that reconcile has not removed yet (the policy changed under a running app) is unusable.
    const entry = this.secrets.entry(HF_TOKEN);
    const origin = secretOrigin(this.huggingFaceEndpoint());
    if (entry?.origin && origin && entry.origin !== origin) {
      return `The stored access token was entered for ${entry.origin} and is not sent to ${origin}; enter it again for the new host.`;
    }
    return this.tokenNotice;
  }
}

function removedTokenNotice(origin: string): string {
  return `The access token was removed because the Hugging Face endpoint changed to ${origin}; enter it again for the new host.`;
}

/** An http(s) address without credentials, without a trailing slash. */
function normaliseEndpoint(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AppError("INVALID_INPUT", "The Hugging Face endpoint is not a valid address; it looks like https://huggingface.co.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new AppError("INVALID_INPUT", "The Hugging Face endpoint must be an http(s) address.");
  }
  if (url.username || url.password) {
    throw new AppError("INVALID_INPUT", "Put credentials in the access token field, not in the endpoint address.");
  }
  return url.toString().replace(/\/+$/, "");
}
