import { describe, expect, it } from "vitest";
import type { CloudAccess } from "../../api/contract.js";
import { answeredByLabel, canRetryCloud, cloudButton, privacyModeOptions, providerLabel } from "./privacy-modes.js";

const offer = { allowed: true, reason: null };
const access = (overrides: Partial<CloudAccess> = {}): CloudAccess => ({
  conversationId: "c1",
  mode: "ask",
  locked: false,
  modes: ["local", "ask", "auto"],
  provider: { id: "b", name: "Acme", model: "acme-large" },
  providerProblem: null,
  providerChoices: [{ id: "b", name: "Acme", model: "acme-large", problem: null }],
  offers: { escalate: offer, retryWithCloud: offer, changeMode: offer },
  ...overrides,
});

describe("privacy modes", () => {
  it("lists the three modes, local first, each with a one-line explanation", () => {
    expect(privacyModeOptions.map((o) => o.mode)).toEqual(["local", "ask", "auto"]);
    for (const option of privacyModeOptions) expect(option.description).not.toContain("\n");
  });
});

describe("the composer's cloud button", () => {
  it("names the provider the core chose, with what the mode will do", () => {
    expect(cloudButton(access())).toEqual({ label: "Ask Acme acme-large", title: expect.stringContaining("then decide") });
    expect(cloudButton(access({ mode: "auto" }))?.title).toContain("now");
  });

  it("is not offered when the core refuses the cloud, or before its decision arrives", () => {
    const refused = { allowed: false, reason: "Acme has no API key." };
    expect(cloudButton(access({ offers: { escalate: refused, retryWithCloud: refused, changeMode: offer } }))).toBeNull();
    expect(cloudButton(undefined)).toBeNull();
  });
});

describe("providers", () => {
  it("names providers and answers", () => {
    expect(providerLabel({ name: "Acme", model: "acme-large" })).toBe("Acme acme-large");
    expect(providerLabel({ name: "gpt-4.1 (work)", model: "gpt-4.1" })).toBe("gpt-4.1 (work)");
    expect(answeredByLabel({ kind: "local", provider: null, model: "stories260K", reason: "", failover: false })).toBe("Local · stories260K");
    expect(answeredByLabel({ kind: "cloud", provider: "Acme", model: "acme-large", reason: "", failover: false })).toBe(
      "Cloud · Acme acme-large",
    );
  });

  it("offers a cloud retry after a failover or a failed cloud answer only", () => {
    const by = { kind: "local" as const, provider: null, model: "m", reason: "Cloud failed", failover: true };
    expect(canRetryCloud({ role: "assistant", status: "complete", answeredBy: by })).toBe(true);
    expect(canRetryCloud({ role: "assistant", status: "streaming", answeredBy: by })).toBe(false);
    expect(canRetryCloud({ role: "assistant", status: "complete", answeredBy: { ...by, failover: false } })).toBe(false);
    expect(canRetryCloud({ role: "assistant", status: "error", answeredBy: { ...by, kind: "cloud", failover: false } })).toBe(true);
    expect(canRetryCloud({ role: "assistant", status: "complete", answeredBy: null })).toBe(false);
  });
});
