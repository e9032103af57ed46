import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "../../../test/fixtures/paths.js";
import type { Message } from "../../contract/index.js";
import { Store } from "./store.js";

// What the UI gets of the tree: the active branch with each message's versions, and the size of a delete.

const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function openStore(): { store: Store; conversationId: string } {
  const store = new Store(path.join(tempDir("hearth-branch-"), "hearth.db"));
  stores.push(store);
  return { store, conversationId: store.createConversation(null).id };
}

function add(store: Store, conversationId: string, content: string, under?: string | null): Message {
  const role = content.startsWith("a") ? "assistant" : "user";
  return store.addMessage({ conversationId, role, content, status: "complete", parentId: under });
}

describe("the active branch for the UI", () => {
  it("carries each message's parent and, where there are several, its versions oldest first", () => {
    const { store, conversationId } = openStore();
    const u1 = add(store, conversationId, "u1");
    const a1 = add(store, conversationId, "a1");
    const u2 = add(store, conversationId, "u2");
    const a2 = add(store, conversationId, "a2");
    const a1b = add(store, conversationId, "a1b", u1.id);
    const u1b = add(store, conversationId, "u1b", null);
    store.setActiveVersion(a1.id);

    const branch = store.listActiveBranch(conversationId);
    expect(branch.map((m) => [m.content, m.parentId, m.versionIds])).toEqual([
      ["u1", null, [u1.id, u1b.id]],
      ["a1", u1.id, [a1.id, a1b.id]],
      ["u2", a1.id, undefined],
      ["a2", u2.id, undefined],
    ]);
    expect(branch.map((m) => m.id)).toEqual(store.listMessages(conversationId).map((m) => m.id));
    // Another conversation's messages never count as versions.
    const other = store.createConversation(null).id;
    add(store, other, "x1");
    add(store, other, "x2", null);
    expect(store.listActiveBranch(conversationId)[0]!.versionIds).toEqual([u1.id, u1b.id]);
    expect(a2.parentId).toBe(u2.id);
  });

  it("counts what a delete would remove: the message and everything below it, every version", () => {
    const { store, conversationId } = openStore();
    const u1 = add(store, conversationId, "u1");
    const a1 = add(store, conversationId, "a1");
    add(store, conversationId, "u2");
    add(store, conversationId, "a2");
    add(store, conversationId, "a1b", u1.id);
    expect(store.tree.subtreeSize(u1.id)).toBe(5);
    expect(store.tree.subtreeSize(a1.id)).toBe(3);
    expect(store.deleteMessage(a1.id)).toHaveLength(3);
    expect(store.tree.subtreeSize(u1.id)).toBe(2);
    expect(store.listActiveBranch(conversationId).map((m) => m.content)).toEqual(["u1", "a1b"]);
  });
});
