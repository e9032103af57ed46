import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it } from "vitest";
import {
  defaultConversationSettings,
  emptyPolicy,
  type AuditEntry,
  type CloudAccess,
  type Conversation,
  type EscalationProposal,
  type Provider,
} from "../../api/contract.js";
import type { HearthState } from "../../state/store.js";
import { restoreStore, setStore } from "../../test/store-for-render.js";
import { ProvidersSection } from "../settings/ProvidersSection.js";
import { AuditRow } from "./AuditView.js";
import { EscalationPanel } from "./EscalationPanel.js";
import { PrivacyBar } from "./PrivacyBar.js";

/**
 * A provider on one of the organisation's servers (policy internalHosts, decided by the core) is shown as "your
 * organisation's server", not "the cloud"; every other provider reads exactly as before.
 */
const ALLOWED = { allowed: true, reason: null };
const corp = { id: "corp", name: "Corp vLLM", model: "llama-70b", internal: true };
const vendor = { id: "vendor", name: "OpenAI", model: "gpt-4.1" };

const access = (provider: typeof corp | typeof vendor): CloudAccess => ({
  conversationId: "c1",
  mode: "ask",
  locked: false,
  modes: ["local", "ask", "auto"],
  provider,
  providerProblem: null,
  providerChoices: [{ ...corp, problem: null }, { ...vendor, problem: null }],
  offers: { escalate: ALLOWED, retryWithCloud: ALLOWED, changeMode: ALLOWED },
});

const conversation: Conversation = {
  id: "c1",
  title: "Chat",
  createdAt: 1,
  updatedAt: 1,
  settings: { ...defaultConversationSettings, modelId: null, privacyMode: "ask", cloudProviderId: "corp" },
};

const proposal = (providerId: string): EscalationProposal => ({
  id: "p1",
  conversationId: "c1",
  userMessageId: "u1",
  providerId,
  providerName: providerId === "corp" ? corp.name : vendor.name,
  model: "m",
  payload: [{ role: "user", content: "Summarise the figures." }],
  redactions: [],
  requestBody: '{"model":"m","messages":[{"role":"user","content":"Summarise the figures."}]}',
  bytes: 73,
  router: null,
  createdAt: 1,
});

const show = (state: Partial<HearthState>) =>
  setStore({ conversations: { c1: conversation }, appSettings: { policy: emptyPolicy } as HearthState["appSettings"], ...state });

afterEach(restoreStore);

describe("the organisation's own server", () => {
  it("the privacy bar names it as the organisation's, and the cloud provider as before", () => {
    show({ cloudAccess: { c1: access(corp) } });
    const html = renderToStaticMarkup(<PrivacyBar conversation={conversation} />);
    expect(html).toContain('<span class="provider-picker-label">Organisation</span>');
    expect(html).toMatch(/<option value="corp" selected="">Corp vLLM llama-70b \(your organisation&#x27;s server\)<\/option>/);
    expect(html).toMatch(/<option value="vendor">OpenAI gpt-4.1<\/option>/);

    show({ cloudAccess: { c1: access(vendor) } });
    expect(renderToStaticMarkup(<PrivacyBar conversation={conversation} />)).toContain('<span class="provider-picker-label">Cloud</span>');
  });

  it("the escalation panel asks to send to the organisation's server, not to the cloud", () => {
    show({ cloudAccess: { c1: access(corp) }, pendingProposals: { c1: proposal("corp") } });
    const html = renderToStaticMarkup(<EscalationPanel conversationId="c1" />);
    expect(html).toContain('aria-label="Send to your organisation&#x27;s server?"');
    expect(html).toContain('data-destination="organisation"');
    expect(html).toContain("would leave this computer for your organisation&#x27;s server:");

    show({ cloudAccess: { c1: access(vendor) }, pendingProposals: { c1: proposal("vendor") } });
    const cloud = renderToStaticMarkup(<EscalationPanel conversationId="c1" />);
    expect(cloud).toContain('aria-label="Send to the cloud?"');
    expect(cloud).toContain("would leave this computer:");
  });

  it("the audit row says where the bytes went, when the entry records it", () => {
    const entry: AuditEntry = {
      id: "a1",
      time: 1,
      conversationId: "c1",
      conversationTitle: "Chat",
      purpose: "chat",
      providerName: "Corp vLLM",
      providerKind: "openai-compatible",
      model: "m",
      host: "llm.corp.example",
      payload: "{}",
      bytesSent: 2,
      bytesReceived: 10,
      tokensIn: null,
      tokensOut: null,
      costUsd: null,
      outcome: "ok",
      error: null,
      durationMs: 5,
    };
    const row = (e: AuditEntry) => renderToStaticMarkup(<table><tbody><AuditRow entry={e} /></tbody></table>);
    expect(row({ ...entry, destination: "organisation" })).toMatch(/data-destination="organisation">Your organisation&#x27;s server</);
    expect(row({ ...entry, destination: "cloud" })).toMatch(/data-destination="cloud">The cloud</);
    expect(row(entry)).not.toContain("audit-destination");
  });

  it("Settings badges the providers the core marks as the organisation's", () => {
    const base: Provider = { id: "corp", kind: "openai-compatible", name: "Corp vLLM", baseUrl: "https://llm.corp.example/v1", model: "m", hasKey: false, inputPricePerMTok: null, outputPricePerMTok: null, createdAt: 1 };
    show({ providers: [{ ...base, internal: true }, { ...base, id: "other", name: "Other" }], providersLoaded: true });
    const html = renderToStaticMarkup(<ProvidersSection />);
    expect(html.match(/data-testid="provider-internal"/g)).toHaveLength(1);
    expect(html).toContain("Your organisation&#x27;s server</span>");
  });
});
