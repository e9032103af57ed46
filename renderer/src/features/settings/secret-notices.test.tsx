import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { AppSettings, Provider } from "../../api/contract.js";
import { HuggingFaceForm } from "./AppSettingsView.js";
import { ProviderForm } from "./ProviderForm.js";

const policy = { source: null, lockedPrivacyMode: null, allowedProviderKinds: null, allowedProviderHosts: null, huggingFaceEndpoint: null } as AppSettings["policy"];

const settings: AppSettings = {
  huggingFaceEndpoint: "http://localhost:8080/x",
  hasHuggingFaceToken: false,
  huggingFaceTokenOrigin: null,
  huggingFaceTokenNotice:
    "The access token was removed because the Hugging Face endpoint changed to http://localhost:8080; enter it again for the new host.",
  modelsDir: "/data/models",
  secretsWarning: null,
  theme: "system",
  defaultSystemPrompt: "You are a helpful assistant.",
  presets: [],
  defaultPrivacyMode: "local",
  escalationLevel: "balanced",
  redactionTerms: [],
  askWhenUnsure: true,
  localModelCheck: false,
  policy,
};

const provider: Provider = {
  id: "p1",
  kind: "openai-compatible",
  name: "Lab",
  baseUrl: "http://127.0.0.1:4011/v1",
  model: "m",
  hasKey: false,
  keyOrigin: null,
  keyNotice: "The API key was removed because the base URL changed to http://127.0.0.1:4011; enter it again for the new host.",
  inputPricePerMTok: null,
  outputPricePerMTok: null,
  createdAt: 1,
};

describe("Settings after a secret was removed because its host changed", () => {
  it("the Hugging Face form says the token was removed and why", () => {
    const html = renderToStaticMarkup(<HuggingFaceForm settings={settings} />);
    expect(html).toContain('data-testid="hf-token-notice"');
    expect(html).toContain("The access token was removed because the Hugging Face endpoint changed to http://localhost:8080; enter it again for the new host.");
    expect(html).not.toContain('data-testid="hf-token-stored"');
  });

  it("a stored token shows the host it is bound to, and no notice", () => {
    const html = renderToStaticMarkup(
      <HuggingFaceForm settings={{ ...settings, huggingFaceEndpoint: "https://huggingface.co", hasHuggingFaceToken: true, huggingFaceTokenOrigin: "https://huggingface.co", huggingFaceTokenNotice: null }} />,
    );
    expect(html).toMatch(/A token is stored for.*data-testid="hf-token-origin"[^>]*>https:\/\/huggingface\.co</);
    expect(html).not.toContain("hf-token-notice");
  });

  it("the provider form says the key was removed and why", () => {
    const html = renderToStaticMarkup(<ProviderForm provider={provider} onDone={() => {}} />);
    expect(html).toContain('data-testid="provider-key-notice"');
    expect(html).toContain("The API key was removed because the base URL changed to http://127.0.0.1:4011; enter it again for the new host.");
  });
});
