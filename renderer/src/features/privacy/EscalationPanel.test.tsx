import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { EscalationProposal } from "../../api/contract.js";
import { PayloadView, ReplacesLocalNote, RequestBodyView, RouterReasons } from "./EscalationPanel.js";

const EMAIL = "dana.whitfield@example.com";
const REQUEST_BODY = JSON.stringify({
  model: "acme-large",
  messages: [
    { role: "system", content: "You are a helpful assistant." },
    { role: "user", content: "Prove it <b>now</b>, then email [EMAIL_1]. Grüße" },
  ],
  temperature: 0.7,
  max_tokens: 512,
  stream: true,
});
const proposal: EscalationProposal = {
  id: "p1",
  conversationId: "c1",
  userMessageId: "u1",
  providerId: "prov",
  providerName: "Acme",
  model: "acme-large",
  payload: [
    { role: "system", content: "You are a helpful assistant." },
    { role: "user", content: "Prove it <b>now</b>, then email [EMAIL_1]." },
  ],
  redactions: [{ type: "EMAIL", placeholder: "[EMAIL_1]", original: EMAIL, messageIndex: 1, start: 32, end: 41 }],
  requestBody: REQUEST_BODY,
  bytes: new TextEncoder().encode(REQUEST_BODY).length,
  router: null,
  createdAt: 1,
};

describe("PayloadView", () => {
  const html = renderToStaticMarkup(<PayloadView proposal={proposal} />);

  it("shows every payload message with its role, and marks the placeholder", () => {
    expect(html.match(/data-testid="payload-message"/g)).toHaveLength(2);
    expect(html).toContain('data-role="system"');
    expect(html).toMatch(/<mark[^>]*data-testid="redaction-mark"[^>]*data-placeholder="\[EMAIL_1\]"[^>]*>\[EMAIL_1\]/);
  });

  it("keeps the hidden value out of the page until it is hovered or focused", () => {
    expect(html).not.toContain(EMAIL);
    expect(html).not.toContain("dana");
  });

  it("shows message text as text, never as HTML", () => {
    expect(html).toContain("&lt;b&gt;now&lt;/b&gt;");
    expect(html).not.toContain("<b>now</b>");
  });
});

describe("RequestBodyView", () => {
  const html = renderToStaticMarkup(<RequestBodyView proposal={proposal} />);
  const text = (markup: string) =>
    markup.replace(/<[^>]+>/g, "").replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

  it("shows the whole request body byte for byte: model, parameters and messages", () => {
    const body = /<pre[^>]*data-testid="escalation-request-body"[^>]*>([\s\S]*)<\/pre>/.exec(html)?.[1] ?? "";
    expect(text(body)).toBe(REQUEST_BODY);
    expect(text(body)).toContain('"temperature":0.7');
    expect(text(body)).toContain('"model":"acme-large"');
  });

  it("gives the exact byte count (UTF-8, not characters) and marks the placeholders in the body", () => {
    const bytes = new TextEncoder().encode(REQUEST_BODY).length;
    expect(bytes).toBeGreaterThan(REQUEST_BODY.length);
    expect(html).toContain(`${bytes.toLocaleString("en-US")} bytes`);
    expect(html).toMatch(/<mark[^>]*data-placeholder="\[EMAIL_1\]"[^>]*>\[EMAIL_1\]/);
    expect(html).not.toContain(EMAIL);
  });
});

describe("a cascade proposal (the local answer looks unsure)", () => {
  const cascade: EscalationProposal = {
    ...proposal,
    replacesMessageId: "a1",
    router: { score: 0.1, target: "cloud", threshold: 0.4, reasons: ["the local answer looks unsure (40% of its tokens were low-confidence)"] },
  };

  it("says the cloud answer would replace the local answer above, and why", () => {
    const html = renderToStaticMarkup(<><ReplacesLocalNote proposal={cascade} /><RouterReasons proposal={cascade} /></>);
    expect(html).toContain('data-testid="escalation-replaces"');
    expect(html).toContain("replaces it");
    expect(html).toContain("the local answer looks unsure");
    // The question's score is not why a cascade proposes the cloud.
    expect(html).not.toContain("sends at");
  });

  it("says nothing of replacing for an ordinary proposal", () => {
    expect(renderToStaticMarkup(<ReplacesLocalNote proposal={proposal} />)).toBe("");
  });
});
