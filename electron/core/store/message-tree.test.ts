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
  const store = new Store(path.join(tempDir("hearth-tree-"), "hearth.db"));
  stores.push(store);
  return { store, conversationId: store.createConversation(null).id };
}

/** Adds a message; `under` undefined follows the active leaf, null starts a new first message. */
function add(store: Store, conversationId: string, content: string, under?: string | null): Message {
  const role = content.startsWith("a") ? "assistant" : "user";
  return store.addMessage({ conversationId, role, content, status: "complete", parentId: under });
}

const shown = (store: Store, conversationId: string) => store.listMessages(conversationId).map((m) => m.content);

function appErrorOf(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected an AppError");
}

describe("MessageTree: versions and the active branch", () => {
  it("a new message follows the active leaf and becomes it", () => {
    const { store, conversationId } = openStore();
    const u1 = add(store, conversationId, "u1");
    const a1 = add(store, conversationId, "a1");
    expect(store.tree.activeLeaf(conversationId)).toBe(a1.id);
    expect(store.tree.pathTo(a1.id)).toEqual([u1.id, a1.id]);
    expect(shown(store, conversationId)).toEqual(["u1", "a1"]);
  });

  it("a regenerated answer is a sibling: ‹ 2/2 ›, shown in place of the first, which is kept", () => {
    const { store, conversationId } = openStore();
    const u1 = add(store, conversationId, "u1");
    const a1 = add(store, conversationId, "a1");
    const a1b = add(store, conversationId, "a1b", u1.id);
    expect(store.siblings(a1b.id)).toEqual({ index: 2, count: 2, ids: [a1.id, a1b.id] });
    expect(store.siblings(a1.id)).toEqual({ index: 1, count: 2, ids: [a1.id, a1b.id] });
    expect(shown(store, conversationId)).toEqual(["u1", "a1b"]);
    expect(store.getMessage(a1.id)?.content).toBe("a1");
    expect(store.setActiveVersion(a1.id)).toBe(a1.id);
    expect(shown(store, conversationId)).toEqual(["u1", "a1"]);
  });

  it("an edited first message is a new first message beside the old one", () => {
    const { store, conversationId } = openStore();
    const u1 = add(store, conversationId, "u1");
    add(store, conversationId, "a1");
    const u1b = add(store, conversationId, "u1b", null);
    expect(store.siblings(u1b.id)).toEqual({ index: 2, count: 2, ids: [u1.id, u1b.id] });
    expect(shown(store, conversationId)).toEqual(["u1b"]);
    add(store, conversationId, "a1 for u1b");
    expect(shown(store, conversationId)).toEqual(["u1b", "a1 for u1b"]);
    store.setActiveVersion(u1.id);
    expect(shown(store, conversationId)).toEqual(["u1", "a1"]);
  });

  it("choosing a version shows its most recent continuation, following the newest child at each step", () => {
    const { store, conversationId } = openStore();
    const u1 = add(store, conversationId, "u1");
    const a1 = add(store, conversationId, "a1");
    const u2 = add(store, conversationId, "u2");
    add(store, conversationId, "a2");
    add(store, conversationId, "a2b", u2.id);
    const a1b = add(store, conversationId, "a1b", u1.id);
    expect(shown(store, conversationId)).toEqual(["u1", "a1b"]);
    store.setActiveVersion(a1.id);
    expect(shown(store, conversationId)).toEqual(["u1", "a1", "u2", "a2b"]);
    // Choosing the first message of the conversation follows the newest answer under it.
    store.setActiveVersion(u1.id);
    expect(shown(store, conversationId)).toEqual(["u1", "a1b"]);
    expect(store.tree.activeLeaf(conversationId)).toBe(a1b.id);
  });

  it("after flipping to an older version, the next message continues that branch", () => {
    const { store, conversationId } = openStore();
    const u1 = add(store, conversationId, "u1");
    const a1 = add(store, conversationId, "a1");
    add(store, conversationId, "a1b", u1.id);
    store.setActiveVersion(a1.id);
    const u2 = add(store, conversationId, "u2");
    expect(store.listBranchTo(u2.id).map((m) => m.id)).toEqual([u1.id, a1.id, u2.id]);
    expect(shown(store, conversationId)).toEqual(["u1", "a1", "u2"]);
  });

  it("the active branch survives closing and reopening the database", () => {
    const file = path.join(tempDir("hearth-tree-"), "hearth.db");
    const store = new Store(file);
    const conversationId = store.createConversation(null).id;
    const u1 = add(store, conversationId, "u1");
    const a1 = add(store, conversationId, "a1");
    add(store, conversationId, "a1b", u1.id);
    store.setActiveVersion(a1.id);
    store.close();
    const reopened = new Store(file);
    stores.push(reopened);
    expect(shown(reopened, conversationId)).toEqual(["u1", "a1"]);
  });
});

describe("MessageTree: deleting a message and what hangs below it", () => {
  it("deletes the subtree and shows the most recent remaining version instead", () => {
    const { store, conversationId } = openStore();
    const u1 = add(store, conversationId, "u1");
    const a1 = add(store, conversationId, "a1");
    const a1b = add(store, conversationId, "a1b", u1.id);
    const u2 = add(store, conversationId, "u2");
    const a2 = add(store, conversationId, "a2");
    add(store, conversationId, "a1c", u1.id);
    store.setActiveVersion(a1b.id);
    expect(shown(store, conversationId)).toEqual(["u1", "a1b", "u2", "a2"]);
    expect(store.deleteMessage(a1b.id).sort()).toEqual([a1b.id, u2.id, a2.id].sort());
    expect(shown(store, conversationId)).toEqual(["u1", "a1c"]);
    expect(store.siblings(a1.id)).toMatchObject({ index: 1, count: 2 });
    for (const id of [a1b.id, u2.id, a2.id]) expect(store.getMessage(id)).toBeNull();
  });

  it("deleting the last version shows its parent; deleting off the active branch changes nothing shown", () => {
    const { store, conversationId } = openStore();
    const u1 = add(store, conversationId, "u1");
    const a1 = add(store, conversationId, "a1");
    const other = add(store, conversationId, "a1b", u1.id);
    store.setActiveVersion(a1.id);
    expect(store.deleteMessage(other.id)).toEqual([other.id]);
    expect(shown(store, conversationId)).toEqual(["u1", "a1"]);
    expect(store.deleteMessage(a1.id)).toEqual([a1.id]);
    expect(shown(store, conversationId)).toEqual(["u1"]);
    expect(store.tree.activeLeaf(conversationId)).toBe(u1.id);
  });

  it("deleting a first message empties the conversation, or shows the other first message if it was edited", () => {
    const { store, conversationId } = openStore();
    const u1 = add(store, conversationId, "u1");
    add(store, conversationId, "a1");
    const u1b = add(store, conversationId, "u1b", null);
    add(store, conversationId, "a1b");
    expect(store.deleteMessage(u1b.id)).toHaveLength(2);
    expect(shown(store, conversationId)).toEqual(["u1", "a1"]);
    expect(store.deleteMessage(u1.id)).toHaveLength(2);
    expect(shown(store, conversationId)).toEqual([]);
    expect(store.tree.activeLeaf(conversationId)).toBeNull();
    // The conversation is still usable.
    add(store, conversationId, "again");
    expect(shown(store, conversationId)).toEqual(["again"]);
  });

  it("a message already deleted is not an error (a retried delete); an unknown one has no versions to flip to", () => {
    const { store, conversationId } = openStore();
    const u1 = add(store, conversationId, "u1");
    expect(store.deleteMessage(u1.id)).toEqual([u1.id]);
    expect(store.deleteMessage(u1.id)).toEqual([]);
    expect(appErrorOf(() => store.setActiveVersion(u1.id)).code).toBe("NOT_FOUND");
    expect(appErrorOf(() => store.siblings("no-such-message")).code).toBe("NOT_FOUND");
    expect(appErrorOf(() => store.listBranchTo("no-such-message")).code).toBe("NOT_FOUND");
  });

  it("deleting a long conversation removes every message of the tree at once", () => {
    const { store, conversationId } = openStore();
    let question: Message | null = null;
    store.db.transaction(() => {
      for (let i = 0; i < 1500; i++) {
        const message = add(store, conversationId, i % 2 ? `a${i}` : `u${i}`);
        if (i === 3) question = message;
      }
    })();
    add(store, conversationId, "a-other", question!.id);
    expect(store.deleteConversation(conversationId)).toBe(true);
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM messages").get()).toEqual({ n: 0 });
  });
});

describe("MessageTree: hostile input", () => {
  it("refuses a parent from another conversation, and an unknown parent, saving nothing", () => {
    const { store, conversationId } = openStore();
    const other = store.createConversation(null).id;
    const foreign = add(store, other, "u-other");
    add(store, conversationId, "u1");
    const error = appErrorOf(() => add(store, conversationId, "a1", foreign.id));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.message).toMatch(/same conversation/);
    expect(appErrorOf(() => add(store, conversationId, "a1", "no-such-message")).code).toBe("NOT_FOUND");
    expect(shown(store, conversationId)).toEqual(["u1"]);
    expect(shown(store, other)).toEqual(["u-other"]);
    expect(store.db.prepare("SELECT COUNT(*) AS n FROM messages").get()).toEqual({ n: 2 });
  });

  it("the database itself refuses moving a message (so no cycle), a message under itself, and a foreign parent", () => {
    const { store, conversationId } = openStore();
    const u1 = add(store, conversationId, "u1");
    const a1 = add(store, conversationId, "a1");
    const other = store.createConversation(null).id;
    const foreign = add(store, other, "u-other");
    expect(() => store.db.prepare("UPDATE messages SET parent_id = ? WHERE id = ?").run(a1.id, u1.id)).toThrow(/never moves/);
    expect(() => store.db.prepare("UPDATE messages SET conversation_id = ? WHERE id = ?").run(other, a1.id)).toThrow(/never moves/);
    const insert = store.db.prepare(
      `INSERT INTO messages (id, conversation_id, parent_id, seq, role, content, status, created_at)
       VALUES (?, ?, ?, 99, 'user', 'x', 'complete', 0)`,
    );
    expect(() => insert.run("loop", conversationId, "loop")).toThrow(/same conversation/);
    expect(() => insert.run("cross", conversationId, foreign.id)).toThrow(/same conversation/);
    expect(() => insert.run("dangling", conversationId, "no-such-message")).toThrow(/same conversation/);
    expect(shown(store, conversationId)).toEqual(["u1", "a1"]);
  });

  it("a damaged file with a cycle still opens its conversation and deletes, without looping", () => {
    const { store, conversationId } = openStore();
    const u1 = add(store, conversationId, "u1");
    const a1 = add(store, conversationId, "a1");
    const u2 = add(store, conversationId, "u2");
    store.db.exec("DROP TRIGGER messages_parent_fixed");
    store.db.prepare("UPDATE messages SET parent_id = ? WHERE id = ?").run(u2.id, u1.id);
    expect(store.listMessages(conversationId).map((m) => m.id)).toEqual([u1.id, a1.id, u2.id]);
    expect([u1.id, a1.id, u2.id]).toContain(store.setActiveVersion(a1.id));
    expect(store.deleteMessage(a1.id).sort()).toEqual([u1.id, a1.id, u2.id].sort());
    expect(shown(store, conversationId)).toEqual([]);
  });

  it("an active leaf pointing at a message of another conversation is ignored, not shown", () => {
    const { store, conversationId } = openStore();
    add(store, conversationId, "u1");
    const a1 = add(store, conversationId, "a1");
    const other = store.createConversation(null).id;
    const foreign = add(store, other, "u-other");
    store.db.prepare("UPDATE conversations SET active_leaf_id = ? WHERE id = ?").run(foreign.id, conversationId);
    expect(store.tree.activeLeaf(conversationId)).toBe(a1.id);
    expect(shown(store, conversationId)).toEqual(["u1", "a1"]);
  });
});
