import { beforeEach, describe, expect, it, vi } from "vitest";
import { AppError, type Conversation } from "../api/contract.js";

/** The core as the list's actions see it: calls recorded in order, answers set per test. */
const fake = vi.hoisted(() => {
  const calls: Array<{ method: string; input: unknown }> = [];
  const answers: Record<string, (input: unknown) => unknown> = {};
  const api = new Proxy({} as Record<string, unknown>, {
    get: (_target, name: string) => async (input: unknown) => {
      calls.push({ method: name, input });
      return (answers[name] ?? (() => ({})))(input);
    },
  });
  return { api, calls, answers };
});
vi.mock("../api/get-api.js", () => ({
  getApi: () => fake.api,
  getConnection: () => ({ status: () => "connected", subscribe: () => () => {} }),
}));

const { loadConversations, loadMoreConversations, selectSortedConversationIds, CONVERSATION_PAGE } = await import("./conversation-pages.js");
const { useHearth } = await import("./store.js");

/** Conversation n of a list where a higher n is newer. */
const conversation = (n: number, updatedAt = n): Conversation =>
  ({
    id: `c${n}`,
    title: `Chat ${n}`,
    createdAt: n,
    updatedAt,
    settings: { modelId: null },
  }) as unknown as Conversation;
/** The page of `size` conversations starting at `newest`, going down. */
const page = (newest: number, size: number) => Array.from({ length: size }, (_, i) => conversation(newest - i));
const shown = () => selectSortedConversationIds(useHearth.getState());

beforeEach(() => {
  fake.calls.length = 0;
  for (const key of Object.keys(fake.answers)) delete fake.answers[key];
  useHearth.setState({ conversations: {}, conversationsLoaded: false, conversationsMore: null, activeConversationId: null, notices: [] });
});

describe("the conversation list, a page at a time", () => {
  it("opens with the newest page only, and fetches the next page after the last one it has", async () => {
    fake.answers.listConversations = () => page(1000, CONVERSATION_PAGE);
    await loadConversations();
    expect(fake.calls).toEqual([{ method: "listConversations", input: { limit: CONVERSATION_PAGE } }]);
    expect(shown()).toHaveLength(CONVERSATION_PAGE);
    expect(useHearth.getState().conversationsMore).toBe("more");

    fake.answers.listConversations = () => page(900, 30);
    await loadMoreConversations();
    expect(fake.calls[1]).toEqual({ method: "listConversations", input: { before: `c${1000 - CONVERSATION_PAGE + 1}`, limit: CONVERSATION_PAGE } });
    expect(shown()).toHaveLength(CONVERSATION_PAGE + 30);
    expect(shown().at(-1)).toBe("c871");
    // A short page was the last: nothing more is asked.
    expect(useHearth.getState().conversationsMore).toBeNull();
    await loadMoreConversations();
    expect(fake.calls).toHaveLength(2);
  });

  it("asks once while a page is on its way", async () => {
    fake.answers.listConversations = () => page(1000, CONVERSATION_PAGE);
    await loadConversations();
    let answer: (value: unknown) => void = () => {};
    fake.answers.listConversations = () => new Promise((resolve) => (answer = resolve));
    const first = loadMoreConversations();
    await loadMoreConversations();
    expect(fake.calls).toHaveLength(2);
    answer(page(900, CONVERSATION_PAGE));
    await first;
    expect(useHearth.getState().conversationsMore).toBe("more");
  });

  it("keeps a conversation's newer copy when a page brings an older one", async () => {
    fake.answers.listConversations = () => page(1000, CONVERSATION_PAGE);
    await loadConversations();
    // c850 changed after the next page was read: the event's copy arrived first.
    useHearth.setState((s) => ({ conversations: { ...s.conversations, c850: { ...conversation(850, 5000), title: "Renamed" } } }));
    fake.answers.listConversations = () => page(900, 60);
    await loadMoreConversations();
    expect(useHearth.getState().conversations.c850!.title).toBe("Renamed");
    expect(shown()[0]).toBe("c850");
  });

  it("reads the list again from the top when the page's cursor was deleted meanwhile", async () => {
    fake.answers.listConversations = () => page(1000, CONVERSATION_PAGE);
    await loadConversations();
    fake.answers.listConversations = (input) => {
      if ((input as { before?: string }).before) throw new AppError("NOT_FOUND", "The conversation list changed while it was loading. Reload it.");
      return page(1000, CONVERSATION_PAGE);
    };
    await loadMoreConversations();
    expect(fake.calls.at(-1)).toEqual({ method: "listConversations", input: { limit: CONVERSATION_PAGE } });
    expect(useHearth.getState().notices).toEqual([]);
    expect(useHearth.getState().conversationsMore).toBe("more");
  });

  it("a reload asks for as many as are shown, and keeps the open conversation even when it is older", async () => {
    fake.answers.listConversations = () => page(1000, CONVERSATION_PAGE);
    await loadConversations();
    fake.answers.listConversations = () => page(900, CONVERSATION_PAGE);
    await loadMoreConversations();
    useHearth.setState((s) => ({ conversations: { ...s.conversations, c5: conversation(5) }, activeConversationId: "c5" }));
    fake.answers.listConversations = () => page(1000, 2 * CONVERSATION_PAGE);
    await loadConversations();
    expect(fake.calls.at(-1)).toEqual({ method: "listConversations", input: { limit: 2 * CONVERSATION_PAGE + 1 } });
    expect(useHearth.getState().conversations.c5).toBeDefined();
  });
});

describe("the sidebar's order", () => {
  it("is sorted again only when a conversation changes: other updates get the same array", () => {
    useHearth.setState({ conversations: Object.fromEntries(page(2000, 2000).map((c) => [c.id, c])) });
    const first = shown();
    expect(first.slice(0, 2)).toEqual(["c2000", "c1999"]);
    // A streamed delta changes the store many times a second; the list must not sort 2,000 conversations each time.
    useHearth.setState({ notices: [] });
    expect(shown()).toBe(first);
    useHearth.setState((s) => ({ conversations: { ...s.conversations, c3: conversation(3, 9999) } }));
    expect(shown()[0]).toBe("c3");
  });

  it("orders conversations saved in the same millisecond the same way as the core's pages", () => {
    useHearth.setState({ conversations: { a: { ...conversation(1, 5), id: "a" }, b: { ...conversation(1, 5), id: "b" } } });
    expect(shown()).toEqual(["b", "a"]);
  });
});
