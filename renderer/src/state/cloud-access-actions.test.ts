import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CloudAccess, Conversation } from "../api/contract.js";

/**
 * The window keeps the core's cloud access of the chats it shows current: fetched when a chat is opened, fetched
 * again when the chat changes (here or in another window) and when a provider is saved or removed anywhere.
 */

type Listener = (payload: unknown) => void;
const fake = vi.hoisted(() => {
  const listeners: Record<string, Listener[]> = {};
  const answers: Record<string, (input: unknown) => unknown> = {};
  const calls: Array<{ method: string; input: unknown }> = [];
  const api = new Proxy(
    {
      subscribe: new Proxy(
        {},
        {
          get: (_t, name: string) => (listener: Listener) => {
            (listeners[name] ??= []).push(listener);
            return () => {};
          },
        },
      ),
    } as Record<string, unknown>,
    {
      get: (target, name: string) =>
        name in target
          ? target[name]
          : async (input: unknown) => {
              calls.push({ method: name, input });
              return (answers[name] ?? (() => []))(input);
            },
    },
  );
  const emit = (event: string, payload: unknown) => {
    for (const listener of listeners[event] ?? []) listener(payload);
  };
  return { api, answers, calls, emit };
});
vi.mock("../api/get-api.js", () => ({
  getApi: () => fake.api,
  getConnection: () => ({ status: () => "connected", subscribe: () => () => {} }),
}));

const { startApp } = await import("./actions.js");
const { loadCloudAccess } = await import("./cloud-access-actions.js");
const { useHearth } = await import("./store.js");

const conversation = {
  id: "c1",
  title: "Chat",
  createdAt: 1,
  updatedAt: 2,
  settings: { modelId: null, systemPrompt: "", temperature: 0.7, contextSize: 4096, maxOutputTokens: null, privacyMode: "ask", cloudProviderId: null },
} as unknown as Conversation;

const offer = { allowed: true, reason: null };
function access(providerName: string | null): CloudAccess {
  const provider = providerName ? { id: providerName, name: providerName, model: "m" } : null;
  return {
    conversationId: "c1",
    mode: "ask",
    locked: false,
    modes: ["local", "ask", "auto"],
    provider,
    providerProblem: provider ? null : { kind: "none-set-up", message: "No cloud provider is set up." },
    providerChoices: provider ? [{ ...provider, problem: null }] : [],
    offers: { escalate: provider ? offer : { allowed: false, reason: "No cloud provider is set up." }, retryWithCloud: offer, changeMode: offer },
  };
}

let current = access("Acme");
const accessCalls = () => fake.calls.filter((c) => c.method === "getCloudAccess").length;
const shown = () => useHearth.getState().cloudAccess.c1?.provider?.name ?? null;

beforeAll(async () => {
  fake.answers.getAppInfo = () => ({});
  fake.answers.listConversations = () => [conversation];
  fake.answers.getConversation = () => ({ conversation, messages: [] });
  fake.answers.getPendingEscalation = () => ({ proposal: null });
  fake.answers.getCloudAccess = () => current;
  startApp();
  await vi.waitFor(() => expect(shown()).toBe("Acme"));
});

afterAll(() => {
  vi.restoreAllMocks();
});

describe("cloud access in the window", () => {
  it("is fetched when the chat is opened", () => {
    expect(fake.calls.some((c) => c.method === "getCloudAccess" && (c.input as { conversationId: string }).conversationId === "c1")).toBe(true);
  });

  it("is fetched again when a provider is removed, in this window or another", async () => {
    const listsBefore = fake.calls.filter((c) => c.method === "listProviders").length;
    current = access(null);
    fake.emit("providers", { type: "providers-changed" });
    await vi.waitFor(() => expect(shown()).toBeNull());
    expect(useHearth.getState().cloudAccess.c1?.offers.escalate.allowed).toBe(false);
    expect(fake.calls.filter((c) => c.method === "listProviders").length).toBe(listsBefore + 1);
  });

  it("is fetched again when the chat's settings change", async () => {
    const before = accessCalls();
    current = access("Other");
    fake.emit("conversations", { type: "conversation-updated", conversation: { ...conversation, updatedAt: 3 } });
    await vi.waitFor(() => expect(shown()).toBe("Other"));
    expect(accessCalls()).toBe(before + 1);
  });

  it("keeps the newest answer when an older request answers last", async () => {
    let releaseSlow: (value: CloudAccess) => void = () => {};
    fake.answers.getCloudAccess = () => new Promise<CloudAccess>((resolve) => (releaseSlow = resolve));
    const slow = loadCloudAccess("c1");
    fake.answers.getCloudAccess = () => access("Newest");
    await loadCloudAccess("c1");
    releaseSlow(access("Stale"));
    await slow;
    expect(shown()).toBe("Newest");
    fake.answers.getCloudAccess = () => current;
  });

  it("is forgotten with the chat, and not fetched for chats the window does not show", async () => {
    fake.emit("conversations", { type: "conversation-deleted", conversationId: "c1" });
    expect(useHearth.getState().cloudAccess.c1).toBeUndefined();
    const before = accessCalls();
    fake.emit("conversations", { type: "conversation-updated", conversation: { ...conversation, id: "c2" } });
    fake.emit("providers", { type: "providers-changed" });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(accessCalls()).toBe(before);
  });
});
