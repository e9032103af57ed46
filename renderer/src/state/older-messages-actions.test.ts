import { beforeEach, describe, expect, it, vi } from "vitest";
import { AppError } from "../api/contract.js";
import { testMessage } from "../test/test-message.js";

/** The core as the paging actions see it: calls recorded in order, answers set per test. */
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

const { loadOlderMessages, reloadLimit, FIRST_PAGE, OLDER_PAGE } = await import("./older-messages-actions.js");
const { useHearth } = await import("./store.js");
const { setConversationMessages, emptyMessagesState, prependMessages } = await import("./messages-state.js");

const message = (n: number) => testMessage({ id: `m${n}`, role: n % 2 ? "assistant" : "user", content: `message ${n}` });
const shownIds = () => useHearth.getState().messages.idsByConversation.c1;

beforeEach(() => {
  fake.calls.length = 0;
  for (const key of Object.keys(fake.answers)) delete fake.answers[key];
  useHearth.setState({
    messages: setConversationMessages(emptyMessagesState, "c1", [message(8), message(9)]),
    olderMessages: { c1: "more" },
    notices: [],
  });
});

describe("older messages of a long chat", () => {
  it("asks for the page above the first message shown and puts it on top", async () => {
    fake.answers.getConversation = () => ({ messages: [message(6), message(7)], hasOlder: true, lastSeq: 0 });
    await loadOlderMessages("c1");
    expect(fake.calls).toEqual([{ method: "getConversation", input: { conversationId: "c1", before: "m8", limit: OLDER_PAGE } }]);
    expect(shownIds()).toEqual(["m6", "m7", "m8", "m9"]);
    expect(useHearth.getState().olderMessages.c1).toBe("more");
  });

  it("stops asking once the first message is there", async () => {
    fake.answers.getConversation = () => ({ messages: [message(7)], hasOlder: false, lastSeq: 0 });
    await loadOlderMessages("c1");
    await loadOlderMessages("c1");
    expect(fake.calls).toHaveLength(1);
    expect(useHearth.getState().olderMessages.c1).toBeUndefined();
    expect(shownIds()).toEqual(["m7", "m8", "m9"]);
  });

  it("asks once while a page is on its way", async () => {
    let answer: (value: unknown) => void = () => {};
    fake.answers.getConversation = () => new Promise((resolve) => (answer = resolve));
    const first = loadOlderMessages("c1");
    const second = loadOlderMessages("c1");
    await Promise.resolve();
    expect(useHearth.getState().olderMessages.c1).toBe("loading");
    answer({ messages: [message(7)], hasOlder: false, lastSeq: 0 });
    await Promise.all([first, second]);
    expect(fake.calls).toHaveLength(1);
  });

  it("a branch changed meanwhile (NOT_FOUND) stops paging quietly; another failure is shown and can be retried", async () => {
    fake.answers.getConversation = () => {
      throw new AppError("NOT_FOUND", "That message is no longer on the branch this conversation shows.");
    };
    await loadOlderMessages("c1");
    expect(useHearth.getState().olderMessages.c1).toBeUndefined();
    expect(useHearth.getState().notices).toEqual([]);

    useHearth.setState({ olderMessages: { c1: "more" } });
    fake.answers.getConversation = () => {
      throw new AppError("DATABASE_LOCKED", "The database is busy.", { retryable: true });
    };
    await loadOlderMessages("c1");
    expect(useHearth.getState().olderMessages.c1).toBe("more");
    expect(useHearth.getState().notices).toHaveLength(1);
  });

  it("a reload asks for as many messages as are shown, so a user reading far back keeps the place", () => {
    expect(reloadLimit("c1")).toBe(FIRST_PAGE);
    const many = Array.from({ length: FIRST_PAGE + 40 }, (_, i) => message(i));
    useHearth.setState({ messages: setConversationMessages(emptyMessagesState, "c1", many) });
    expect(reloadLimit("c1")).toBe(FIRST_PAGE + 40);
  });

  it("prependMessages does not repeat a message already shown", () => {
    const state = setConversationMessages(emptyMessagesState, "c1", [message(2), message(3)]);
    const next = prependMessages(state, "c1", [message(1), message(2)]);
    expect(next.idsByConversation.c1).toEqual(["m1", "m2", "m3"]);
    expect(prependMessages(next, "c1", [message(1)])).toBe(next);
  });
});
