import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "../../../test/fixtures/paths.js";
import { isAppError, type Message } from "../../contract/index.js";
import { Store } from "./store.js";

const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function openStore(): { store: Store; conversationId: string } {
  const store = new Store(path.join(tempDir("hearth-page-"), "hearth.db"));
  stores.push(store);
  return { store, conversationId: store.createConversation(null).id };
}

function add(store: Store, conversationId: string, content: string, under?: string | null): Message {
  return store.addMessage({ conversationId, role: content.startsWith("a") ? "assistant" : "user", content, status: "complete", parentId: under });
}

/** A straight chat u0 a1 u2 a3 ... of `count` messages. */
function chat(store: Store, conversationId: string, count: number): Message[] {
  return Array.from({ length: count }, (_, i) => add(store, conversationId, `${i % 2 ? "a" : "u"}${i}`));
}

const contents = (messages: Message[]) => messages.map((m) => m.content);

describe("Store.listActiveBranchPage: a long chat read a page at a time from the leaf up", () => {
  it("the first page is the latest messages, oldest first, and says older ones remain", () => {
    const { store, conversationId } = openStore();
    chat(store, conversationId, 10);
    const page = store.listActiveBranchPage(conversationId, { limit: 4 });
    expect(contents(page.messages)).toEqual(["u6", "a7", "u8", "a9"]);
    expect(page.hasOlder).toBe(true);
  });

  it("pages above `before` reach the first message, then say nothing remains", () => {
    const { store, conversationId } = openStore();
    chat(store, conversationId, 10);
    const seen: string[] = [];
    let page = store.listActiveBranchPage(conversationId, { limit: 4 });
    seen.unshift(...contents(page.messages));
    while (page.hasOlder) {
      page = store.listActiveBranchPage(conversationId, { before: page.messages[0]!.id, limit: 4 });
      seen.unshift(...contents(page.messages));
    }
    expect(seen).toEqual(contents(store.listMessages(conversationId)));
    expect(seen).toHaveLength(10);
  });

  it("follows the active branch only, with each message's versions", () => {
    const { store, conversationId } = openStore();
    const [u0, a1] = chat(store, conversationId, 2);
    add(store, conversationId, "u2-old");
    add(store, conversationId, "a3-old");
    // An edit of u2: a new version beside it, the branch now goes through it.
    const edited = add(store, conversationId, "u2-new", a1!.id);
    add(store, conversationId, "a3-new");
    const page = store.listActiveBranchPage(conversationId, { limit: 3 });
    expect(contents(page.messages)).toEqual(["a1", "u2-new", "a3-new"]);
    expect(page.messages[1]!.versionIds).toHaveLength(2);
    expect(page.messages[1]!.id).toBe(edited.id);
    const above = store.listActiveBranchPage(conversationId, { before: page.messages[0]!.id, limit: 3 });
    expect(above).toEqual({ messages: [expect.objectContaining({ id: u0!.id })], hasOlder: false });
  });

  it("a `before` that is not on the shown branch is NOT_FOUND, so the window reloads rather than mixing branches", () => {
    const { store, conversationId } = openStore();
    const [, a1] = chat(store, conversationId, 2);
    const old = add(store, conversationId, "u2-old");
    add(store, conversationId, "u2-new", a1!.id);
    let error: unknown;
    try {
      store.listActiveBranchPage(conversationId, { before: old.id, limit: 5 });
    } catch (caught) {
      error = caught;
    }
    expect(isAppError(error) && error.code).toBe("NOT_FOUND");
  });

  it("an empty conversation is an empty page", () => {
    const { store, conversationId } = openStore();
    expect(store.listActiveBranchPage(conversationId, { limit: 5 })).toEqual({ messages: [], hasOlder: false });
  });
});
