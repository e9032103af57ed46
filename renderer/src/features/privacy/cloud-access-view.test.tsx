import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it } from "vitest";
import { defaultConversationSettings, emptyPolicy, type CloudAccess, type CloudOffer, type Conversation, type Message, type Provider } from "../../api/contract.js";
import { emptyMessagesState, setConversationMessages } from "../../state/messages-state.js";
import type { HearthState } from "../../state/store.js";
import { restoreStore, setStore } from "../../test/store-for-render.js";
import { Composer } from "../chat/Composer.js";
import { MessageItem } from "../chat/MessageItem.js";
import { MessageList } from "../chat/MessageList.js";
import { ProvidersSection } from "../settings/ProvidersSection.js";
import { PrivacyBar } from "./PrivacyBar.js";

/**
 * The UI shows the core's CloudAccess and nothing else: the providers list and the policy in the store are set up
 * so that the old renderer-side rules would offer the cloud, while the core's decision refuses it.
 */

const ALLOWED: CloudOffer = { allowed: true, reason: null };
const refused = (reason: string): CloudOffer => ({ allowed: false, reason });

const acme = { id: "acme", name: "Acme", model: "acme-large" };
const vendor = { id: "vendor", name: "OpenAI", model: "gpt-4.1" };

function access(overrides: Partial<CloudAccess> = {}): CloudAccess {
  return {
    conversationId: "c1",
    mode: "ask",
    locked: false,
    modes: ["local", "ask", "auto"],
    provider: acme,
    providerProblem: null,
    providerChoices: [{ ...acme, problem: null }],
    offers: { escalate: ALLOWED, retryWithCloud: ALLOWED, changeMode: ALLOWED },
    ...overrides,
  };
}

const noKey = { kind: "no-key" as const, message: "OpenAI has no API key. Enter it in Settings, or choose another provider." };
/** The conversation chose a vendor provider without its key: the old UI offered "Ask OpenAI"; the core refuses. */
const keylessChoice = access({
  provider: null,
  providerProblem: noKey,
  providerChoices: [{ ...vendor, problem: noKey }, { ...acme, problem: null }],
  offers: { escalate: refused(noKey.message), retryWithCloud: refused(noKey.message), changeMode: ALLOWED },
});

const conversation: Conversation = {
  id: "c1",
  title: "Chat",
  createdAt: 1,
  updatedAt: 1,
  settings: { ...defaultConversationSettings, modelId: null, privacyMode: "auto", cloudProviderId: "vendor" },
};

const storeProviders: Provider[] = [
  { ...vendor, kind: "openai", baseUrl: null, hasKey: false, inputPricePerMTok: null, outputPricePerMTok: null, createdAt: 1 },
];

const failover = {
  id: "a1",
  conversationId: "c1",
  role: "assistant",
  content: "A local answer.",
  reasoning: "",
  status: "complete",
  modelId: null,
  modelName: "stories",
  stats: null,
  error: null,
  createdAt: 2,
  answeredBy: { kind: "local", provider: null, model: "stories", reason: "Cloud failed: 500", failover: true },
} as Message;

/** The conversation, the store's providers and no policy, with the state a test adds. */
function show(state: Partial<HearthState>): void {
  setStore({
    conversations: { c1: conversation },
    providers: storeProviders,
    appSettings: { policy: emptyPolicy } as HearthState["appSettings"],
    ...state,
  });
}

afterEach(restoreStore);

describe("the composer's cloud button", () => {
  it("is the core's choice of provider when the core allows the cloud", () => {
    show({ cloudAccess: { c1: access() } });
    const html = renderToStaticMarkup(<Composer conversationId="c1" />);
    expect(html).toContain('data-testid="ask-cloud"');
    expect(html).toContain("Ask Acme acme-large");
  });

  it("is not offered when the core refuses (a chosen provider without its key), whatever the store's providers say", () => {
    show({ cloudAccess: { c1: keylessChoice } });
    expect(renderToStaticMarkup(<Composer conversationId="c1" />)).not.toContain('data-testid="ask-cloud"');
  });

  it("is not offered before the core's decision arrives", () => {
    show({ cloudAccess: {} });
    expect(renderToStaticMarkup(<Composer conversationId="c1" />)).not.toContain('data-testid="ask-cloud"');
  });
});

describe("the privacy bar", () => {
  it("shows the policy's lock read-only, with the core's reason, and no other mode", () => {
    const reason = "Your organisation's policy (/etc/hearth/policy.json) sets every chat to “Local only”.";
    show({
      cloudAccess: {
        c1: access({ mode: "local", locked: true, modes: ["local"], offers: { escalate: refused("x"), retryWithCloud: refused("x"), changeMode: refused(reason) } }),
      },
    });
    const html = renderToStaticMarkup(<PrivacyBar conversation={conversation} />);
    expect(html).toMatch(/data-testid="privacy-mode" data-mode="local" data-locked="true"/);
    expect(html).toContain("/etc/hearth/policy.json");
    expect(html).not.toContain("privacy-mode-option-ask");
    expect(html).not.toContain('data-testid="provider-picker"');
  });

  it("shows the mode the core says applies, the provider it uses, and lets the user choose any mode", () => {
    show({ cloudAccess: { c1: access({ mode: "auto" }) } });
    const html = renderToStaticMarkup(<PrivacyBar conversation={conversation} />);
    expect(html).toMatch(/data-testid="privacy-mode" data-mode="auto"/);
    for (const mode of ["local", "ask", "auto"]) expect(html).toContain(`privacy-mode-option-${mode}`);
    expect(html).toMatch(/<option value="acme" selected="">Acme acme-large<\/option>/);
    expect(html).not.toContain("provider-problem");
  });

  it("says why there is no provider, and marks the keyless one in the picker", () => {
    show({ cloudAccess: { c1: keylessChoice } });
    const html = renderToStaticMarkup(<PrivacyBar conversation={conversation} />);
    expect(html).toContain('data-testid="provider-problem" data-problem="no-key"');
    expect(html).toContain("OpenAI has no API key");
    expect(html).toContain("OpenAI gpt-4.1 (no key)");
    expect(html).toMatch(/<option value="" disabled="" selected="">/);
  });

  it("leaves out the providers the policy refuses; with none left, points to Settings", () => {
    const notAllowed = { kind: "not-allowed" as const, message: "Your organisation's policy does not allow OpenAI providers." };
    const none = { kind: "none-allowed" as const, message: "Your organisation's policy allows none of the cloud providers set up." };
    show({
      cloudAccess: {
        c1: access({ provider: null, providerProblem: none, providerChoices: [{ ...vendor, problem: notAllowed }], offers: { escalate: refused(none.message), retryWithCloud: refused(none.message), changeMode: ALLOWED } }),
      },
    });
    const html = renderToStaticMarkup(<PrivacyBar conversation={conversation} />);
    expect(html).toContain('data-testid="provider-missing"');
    expect(html).toContain('data-problem="none-allowed"');
    expect(html).not.toContain("OpenAI gpt-4.1");
  });

  it("shows nothing it would have to guess before the core's decision arrives", () => {
    show({ cloudAccess: {} });
    const html = renderToStaticMarkup(<PrivacyBar conversation={conversation} />);
    expect(html).toContain('aria-busy="true"');
    expect(html).not.toContain('data-testid="privacy-mode"');
  });
});

describe("Retry with the cloud, under a failover answer", () => {
  const withAnswer = (cloudAccess: HearthState["cloudAccess"]) =>
    show({ cloudAccess, messages: setConversationMessages(emptyMessagesState, "c1", [failover]), loadedConversations: { c1: true } });

  it("is offered with the core's provider when the core allows it", () => {
    withAnswer({ c1: access() });
    const html = renderToStaticMarkup(<MessageItem conversationId="c1" messageId="a1" />);
    expect(html).toContain('data-testid="failover-note"');
    expect(html).toContain('data-testid="retry-cloud">Retry with Acme acme-large</button>');
  });

  it("is replaced by the core's reason when the provider can no longer be used", () => {
    withAnswer({ c1: keylessChoice });
    const html = renderToStaticMarkup(<MessageItem conversationId="c1" messageId="a1" />);
    expect(html).toContain('data-testid="failover-note"');
    expect(html).not.toContain('data-testid="retry-cloud"');
    expect(html).toContain('data-testid="retry-cloud-unavailable"');
    expect(html).toContain("OpenAI has no API key");
  });
});

describe("the empty chat's hint", () => {
  it("follows the mode the core says applies (a policy's lock), never the conversation's own setting", () => {
    show({
      cloudAccess: { c1: access({ mode: "local", locked: true, modes: ["local"] }) },
      messages: setConversationMessages(emptyMessagesState, "c1", []),
      loadedConversations: { c1: true },
    });
    const html = renderToStaticMarkup(<MessageList conversationId="c1" />);
    expect(html).toContain("Nothing you write here leaves it.");
  });
});

describe("Settings' providers", () => {
  it("marks a provider the core says the policy refuses, with the core's reason", () => {
    const refusal = "The policy does not allow sending to api.openai.com.";
    show({ providers: [{ ...storeProviders[0]!, policyRefusal: refusal }, { ...storeProviders[0]!, id: "other", name: "Other", policyRefusal: null }], providersLoaded: true });
    const html = renderToStaticMarkup(<ProvidersSection />);
    expect(html.match(/data-testid="provider-not-allowed"/g)).toHaveLength(1);
    expect(html).toContain(`title="${refusal}"`);
  });
});
