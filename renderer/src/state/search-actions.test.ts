import { beforeEach, describe, expect, it, vi } from "vitest";
import { AppError, type Conversation, type SearchResult } from "../api/contract.js";
import { testMessage } from "../test/test-message.js";

/** The core as the search actions see it: calls recorded in order, answers set per method by each test. */
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

const actions = await import("./search-actions.js");
const { useHearth } = await import("./store.js");
const { setConversationMessages, emptyMessagesState } = await import("./messages-state.js");

const hit = (messageId: string | null): SearchResult => ({
  conversationId: "c1",
  title: "Otters",
  messageId,
  role: messageId ? "user" : null,
  snippet: "otters",
  highlights: [{ start: 0, end: 6 }],
});
const conversation = { id: "c1", title: "Otters", createdAt: 1, updatedAt: 1, settings: {} } as unknown as Conversation;

beforeEach(() => {
  fake.calls.length = 0;
  for (const key of Object.keys(fake.answers)) delete fake.answers[key];
  useHearth.setState({ search: { open: false, query: "", results: [], status: "idle", error: null, selected: 0 }, revealMessageId: null, notices: [] });
});

describe("search actions", () => {
  it("openSearch opens the dialog with the last search; an empty query asks nothing", async () => {
    actions.openSearch();
    expect(useHearth.getState().search.open).toBe(true);
    await actions.runSearch("   ");
    expect(fake.calls).toEqual([]);
    expect(useHearth.getState().search.status).toBe("idle");
  });

  it("shows only the latest search's results when an older one answers last", async () => {
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    fake.answers.searchConversations = async (input) => {
      if ((input as { query: string }).query === "ot") await slow;
      return { results: [hit((input as { query: string }).query === "ot" ? "old" : "new")] };
    };
    const older = actions.runSearch("ot");
    await actions.runSearch("otters");
    release();
    await older;
    expect(useHearth.getState().search).toMatchObject({ query: "otters", status: "done", results: [hit("new")] });
    expect(fake.calls.map((c) => c.input)).toEqual([{ query: "ot", limit: 30 }, { query: "otters", limit: 30 }]);
  });

  it("shows a refused search's message in the dialog", async () => {
    fake.answers.searchConversations = () => {
      throw new AppError("INVALID_INPUT", "Search for at most 16 words at a time.");
    };
    await actions.runSearch("many words");
    expect(useHearth.getState().search).toMatchObject({ status: "error", error: "Search for at most 16 words at a time.", results: [] });
  });

  it("opens a message hit on its branch: selectVersion first, then the conversation loads, then the chat reveals it", async () => {
    fake.answers.getConversation = () => ({ conversation, messages: [testMessage({ id: "m7", role: "user", content: "otters" })], lastSeq: 0 });
    fake.answers.getPendingEscalation = () => ({ proposal: null });
    actions.openSearch();
    await actions.openSearchResult(hit("m7"));
    const methods = fake.calls.map((c) => c.method).filter((m) => m === "selectVersion" || m === "getConversation");
    expect(methods).toEqual(["selectVersion", "getConversation"]);
    expect(fake.calls.find((c) => c.method === "selectVersion")!.input).toEqual({ conversationId: "c1", messageId: "m7" });
    const state = useHearth.getState();
    expect(state).toMatchObject({ activeConversationId: "c1", view: "chat", revealMessageId: "m7" });
    expect(state.search.open).toBe(false);
    actions.revealed("m7");
    expect(useHearth.getState().revealMessageId).toBeNull();
  });

  it("loads older pages of a long conversation until the hit is there, then reveals it", async () => {
    const page = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => testMessage({ id: `m${from + i}`, role: "user", content: `m${from + i}`, createdAt: from + i }));
    fake.answers.getConversation = (input) => {
      const before = (input as { before?: string }).before;
      // 300 messages: the latest 100 first, then 100 before each `before`.
      const end = before ? Number(before.slice(1)) : 300;
      const start = Math.max(0, end - 100);
      return { conversation, messages: page(start, end), lastSeq: 0, hasOlder: start > 0 };
    };
    fake.answers.getPendingEscalation = () => ({ proposal: null });
    await actions.openSearchResult(hit("m42"));
    const befores = fake.calls.filter((c) => c.method === "getConversation").map((c) => (c.input as { before?: string }).before ?? null);
    expect(befores).toEqual([null, "m200", "m100"]);
    expect(useHearth.getState().messages.idsByConversation.c1).toContain("m42");
    expect(useHearth.getState().revealMessageId).toBe("m42");
  });

  it("opens a title hit without changing any version", async () => {
    fake.answers.getConversation = () => ({ conversation, messages: [], lastSeq: 0 });
    await actions.openSearchResult(hit(null));
    expect(fake.calls.some((c) => c.method === "selectVersion")).toBe(false);
    expect(useHearth.getState()).toMatchObject({ activeConversationId: "c1", revealMessageId: null });
  });
});

describe("find actions", () => {
  it("counts matches in the open conversation, steps through them wrapping, and reveals each one's message", () => {
    const messages = [
      testMessage({ id: "a", role: "user", content: "fox one", createdAt: 1 }),
      testMessage({ id: "b", role: "assistant", content: "nothing", createdAt: 2 }),
      testMessage({ id: "c", role: "user", content: "Fox two fox", createdAt: 3 }),
    ];
    useHearth.setState({ activeConversationId: "c1", messages: setConversationMessages(emptyMessagesState, "c1", messages) });
    actions.openFind();
    actions.setFindQuery("fox");
    expect(actions.selectFindMatches(useHearth.getState()).map((m) => m.messageId)).toEqual(["a", "c", "c"]);
    expect(useHearth.getState()).toMatchObject({ find: { open: true, current: 0 }, revealMessageId: "a" });
    actions.stepFind(1);
    expect(useHearth.getState()).toMatchObject({ find: { current: 1 }, revealMessageId: "c" });
    actions.stepFind(1);
    actions.stepFind(1);
    expect(useHearth.getState().find.current).toBe(0);
    actions.stepFind(-1);
    expect(useHearth.getState().find.current).toBe(2);
    actions.closeFind();
    expect(useHearth.getState().find).toEqual({ open: false, query: "", current: 0 });
  });
});
