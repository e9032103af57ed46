import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { emptyPolicy, shareRequestBody, type AppSettings, type EscalationProposal, type PayloadMessage } from "../../api/contract.js";
import { AskWhenUnsure } from "../settings/PrivacySettings.js";
import { RequestBodyView, UnsureNote } from "./EscalationPanel.js";

const text = (markup: string) =>
  markup.replace(/<[^>]+>/g, "").replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

const payload: PayloadMessage[] = [
  { role: "system", content: "You are terse. \"Quoted\" and a backslash \\ and a tab\t — 東京." },
  { role: "user", content: `The Wi-Fi password is in the note; email [EMAIL_1] the steps. ${"Longer text so the body shares it. ".repeat(4)}` },
];
const BODY = JSON.stringify({ model: "acme-large", messages: payload, temperature: 0.7, stream: true });
const proposal: EscalationProposal = {
  id: "p1",
  conversationId: "c1",
  userMessageId: "u1",
  providerId: "prov",
  providerName: "Acme",
  model: "acme-large",
  payload,
  redactions: [{ type: "EMAIL", placeholder: "[EMAIL_1]", original: "dana@example.com", messageIndex: 1, start: 46, end: 55 }],
  requestBody: shareRequestBody(BODY, payload),
  bytes: new TextEncoder().encode(BODY).length,
  router: null,
  doubts: [
    { reason: "credential", type: "SECRET", note: "a password-like value", messageIndex: 1 },
    { reason: "low-confidence", type: "PERSON", note: "a value the detectors are unsure about (a name?)", messageIndex: 1 },
  ],
  askedBecauseUnsure: true,
  createdAt: 1,
};

describe("a proposal Auto mode asked about", () => {
  it("says why Hearth is unsure, without quoting the text, and that the chat stays in Auto", () => {
    const html = renderToStaticMarkup(<UnsureNote proposal={proposal} />);
    expect(text(html)).toContain("Hearth is not sure it hid everything: a password-like value and a value the detectors are unsure about (a name?).");
    expect(text(html)).toContain("The chat stays in Auto");
  });

  it("says nothing when there is no doubt", () => {
    expect(renderToStaticMarkup(<UnsureNote proposal={{ ...proposal, doubts: undefined, askedBecauseUnsure: undefined }} />)).toBe("");
  });

  it("shows the exact body rebuilt from the one copy of each message the proposal carries", () => {
    // The long message is carried once (in the payload); the body holds a reference to it.
    expect(proposal.requestBody).not.toContain(payload[1]!.content);
    expect(proposal.requestBody.length).toBeLessThan(BODY.length - payload[1]!.content.length + 8);
    const html = renderToStaticMarkup(<RequestBodyView proposal={proposal} />);
    const shown = /<pre[^>]*data-testid="escalation-request-body"[^>]*>([\s\S]*)<\/pre>/.exec(html)?.[1] ?? "";
    expect(text(shown)).toBe(BODY);
    expect(html).toMatch(/<mark[^>]*data-placeholder="\[EMAIL_1\]"/);
  });
});

describe("the Ask when unsure setting", () => {
  const settings = {
    askWhenUnsure: false,
    policy: emptyPolicy,
  } as unknown as AppSettings;

  it("is the user's choice without a policy", () => {
    const html = renderToStaticMarkup(<AskWhenUnsure settings={settings} saving={false} onChange={() => {}} />);
    expect(html).toMatch(/<input[^>]*type="checkbox"[^>]*data-testid="ask-when-unsure"/);
    expect(html).not.toMatch(/<input[^>]*disabled/);
    expect(html).not.toMatch(/<input[^>]*checked/);
    expect(html).not.toContain("ask-when-unsure-locked");
  });

  it("is shown on and locked, with the policy named, when the organisation forces it", () => {
    const forced = { ...settings, policy: { ...settings.policy, source: "/etc/hearth/policy.json", forceAskWhenUnsure: true } } as AppSettings;
    const html = renderToStaticMarkup(<AskWhenUnsure settings={forced} saving={false} onChange={() => {}} />);
    expect(html).toMatch(/<input[^>]*checked[^>]*disabled|<input[^>]*disabled[^>]*checked/);
    expect(html).toContain('data-testid="ask-when-unsure-locked"');
    expect(text(html)).toContain("Set by your organisation’s policy (/etc/hearth/policy.json).");
  });
});
