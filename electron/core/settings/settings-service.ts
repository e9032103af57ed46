import { AppError, type AppSettings } from "../../contract/index.js";
import type { SecretStore } from "../secrets/secret-store.js";
import type { Store } from "../store/store.js";

export const DEFAULT_HF_ENDPOINT = "https://huggingface.co";
const HF_TOKEN = "huggingFaceToken";

/** App-wide settings: plain values in the database, secrets in the SecretStore (never returned, only "is set"). */
export class SettingsService {
  constructor(
    private readonly store: Store,
    private readonly secrets: SecretStore,
    private readonly defaults: { huggingFaceEndpoint?: string; modelsDir: string },
  ) {}

  huggingFaceEndpoint(): string {
    return this.store.getSetting("huggingFaceEndpoint") ?? this.defaults.huggingFaceEndpoint ?? DEFAULT_HF_ENDPOINT;
  }

  huggingFaceToken(): string | null {
    return this.secrets.get(HF_TOKEN);
  }

  get(): AppSettings {
    return {
      huggingFaceEndpoint: this.huggingFaceEndpoint(),
      hasHuggingFaceToken: this.secrets.has(HF_TOKEN),
      modelsDir: this.defaults.modelsDir,
      secretsWarning: this.secrets.warning,
    };
  }

  update(input: { huggingFaceEndpoint?: string; huggingFaceToken?: string | null }): AppSettings {
    if (input.huggingFaceEndpoint !== undefined) {
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
    if (input.huggingFaceToken !== undefined) this.secrets.set(HF_TOKEN, input.huggingFaceToken);
    return this.get();
  }
}
