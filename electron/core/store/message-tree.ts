import { AppError } from "../../contract/index.js";
import type { Db } from "./database.js";

/** Where a message stands among its versions, for `‹ index/count ›`: `index` is 1-based, `ids` oldest first. */
export type Siblings = { index: number; count: number; ids: string[] };

/** What a delete removed and the leaf the conversation shows afterwards (null once it has no messages). */
export type DeletedSubtree = { conversationId: string; deleted: string[]; activeLeafId: string | null };

type Node = { id: string; conversation_id: string; parent_id: string | null; seq: number };

/**
 * A conversation is a tree of messages: each hangs under the message it follows (`parent_id`, NULL for a first
 * message), a new attempt (regenerate, edit, failover) is a new row beside the old one, and the conversation keeps
 * the leaf it shows (`active_leaf_id`); the active branch is the path from the root to that leaf. Sibling order and
 * "most recent" are by `seq`, which only grows within a conversation. Callers run these inside their transaction.
 */
export class MessageTree {
  constructor(private readonly db: Db) {}

  /** The parent a new message gets: `undefined` means under the active leaf, `null` a new first message. */
  parentForNew(conversationId: string, parentId: string | null | undefined): string | null {
    if (parentId === undefined) return this.activeLeaf(conversationId);
    if (parentId === null) return null;
    const parent = this.requireNode(parentId);
    if (parent.conversation_id !== conversationId) {
      throw new AppError("INVALID_INPUT", "A message can only follow a message of the same conversation.");
    }
    return parent.id;
  }

  setActiveLeaf(conversationId: string, leafId: string | null): void {
    this.db.prepare("UPDATE conversations SET active_leaf_id = ? WHERE id = ?").run(leafId, conversationId);
  }

  /**
   * The leaf the conversation shows. A missing or foreign leaf (a database edited by hand) falls back to the most
   * recent leaf below the most recent first message, so the conversation still opens.
   */
  activeLeaf(conversationId: string): string | null {
    const row = this.db
      .prepare(
        `SELECT m.id FROM conversations c JOIN messages m ON m.id = c.active_leaf_id AND m.conversation_id = c.id
         WHERE c.id = ?`,
      )
      .get(conversationId) as { id: string } | undefined;
    if (row) return row.id;
    const root = this.children(conversationId, null).at(-1);
    return root ? this.latestLeafUnder(root) : null;
  }

  /** Ids from the first message down to the active leaf: what the conversation shows. */
  activeBranch(conversationId: string): string[] {
    const leaf = this.activeLeaf(conversationId);
    return leaf ? this.pathTo(leaf) : [];
  }

  /**
   * A page of the active branch, read from the leaf up: the `limit` ids just above `before` (or the last `limit` when
   * `before` is absent), first message first, and whether older ones remain. A `before` no longer on the active
   * branch (another branch was chosen meanwhile) is NOT_FOUND, so the window reloads instead of mixing branches.
   */
  activeBranchPage(conversationId: string, page: { before?: string; limit: number }): { ids: string[]; hasOlder: boolean } {
    const path = this.activeBranch(conversationId);
    const end = page.before === undefined ? path.length : path.indexOf(page.before);
    if (end < 0) throw new AppError("NOT_FOUND", "That message is no longer on the branch this conversation shows.");
    const start = Math.max(0, end - page.limit);
    return { ids: path.slice(start, end), hasOlder: start > 0 };
  }

  /** Ids from the first message down to `messageId`, inclusive. */
  pathTo(messageId: string): string[] {
    const node = this.requireNode(messageId);
    const { total } = this.db
      .prepare("SELECT COUNT(*) AS total FROM messages WHERE conversation_id = ?")
      .get(node.conversation_id) as { total: number };
    // Bounded by the conversation's size, so a cycle in a damaged file ends instead of looping.
    const rows = this.db
      .prepare(
        `WITH RECURSIVE up(id, parent_id, depth) AS (
           SELECT id, parent_id, 0 FROM messages WHERE id = @id
           UNION ALL
           SELECT m.id, m.parent_id, up.depth + 1 FROM messages m JOIN up ON m.id = up.parent_id
           WHERE m.conversation_id = @conversation AND up.depth < @total
         )
         SELECT id FROM up ORDER BY depth`,
      )
      .all({ id: messageId, conversation: node.conversation_id, total }) as { id: string }[];
    const path: string[] = [];
    const seen = new Set<string>();
    for (const { id } of rows) {
      if (seen.has(id)) break;
      seen.add(id);
      path.push(id);
    }
    return path.reverse();
  }

  /** Children of `parentId` (first messages when null), oldest first. */
  children(conversationId: string, parentId: string | null): string[] {
    const rows = this.db
      .prepare("SELECT id FROM messages WHERE parent_id IS ? AND conversation_id = ? ORDER BY seq")
      .all(parentId, conversationId) as { id: string }[];
    return rows.map((row) => row.id);
  }

  /** The versions of a message: it and the other messages under the same parent. */
  siblings(messageId: string): Siblings {
    const node = this.requireNode(messageId);
    const ids = this.children(node.conversation_id, node.parent_id);
    return { index: ids.indexOf(messageId) + 1, count: ids.length, ids };
  }

  /** The versions of each of `ids` (it and its siblings, oldest first), in one query however long the branch. */
  versionsOf(ids: readonly string[]): Map<string, string[]> {
    const rows = this.db
      .prepare(
        `SELECT m.id AS id, s.id AS sibling FROM json_each(?) AS j
         JOIN messages AS m ON m.id = j.value
         JOIN messages AS s ON s.conversation_id = m.conversation_id AND s.parent_id IS m.parent_id
         ORDER BY j.key, s.seq`,
      )
      .all(JSON.stringify(ids)) as { id: string; sibling: string }[];
    const versions = new Map<string, string[]>();
    for (const { id, sibling } of rows) {
      const list = versions.get(id);
      if (list) list.push(sibling);
      else versions.set(id, [sibling]);
    }
    return versions;
  }

  /** How many messages a delete of `messageId` would remove: it and everything below it. */
  subtreeSize(messageId: string): number {
    const node = this.requireNode(messageId);
    return (
      this.db
        .prepare(
          `WITH RECURSIVE down(id) AS (
             SELECT @id UNION SELECT m.id FROM messages m JOIN down ON m.parent_id = down.id AND m.conversation_id = @conversation
           )
           SELECT COUNT(*) AS total FROM down`,
        )
        .get({ id: node.id, conversation: node.conversation_id }) as { total: number }
    ).total;
  }

  /** The leaf reached from `messageId` by following the most recently created child at each step. */
  latestLeafUnder(messageId: string): string {
    const node = this.requireNode(messageId);
    const newestChild = this.db.prepare(
      "SELECT id FROM messages WHERE parent_id = ? AND conversation_id = ? ORDER BY seq DESC LIMIT 1",
    );
    const seen = new Set([node.id]);
    let leaf = node.id;
    for (;;) {
      const child = newestChild.get(leaf, node.conversation_id) as { id: string } | undefined;
      if (!child || seen.has(child.id)) return leaf;
      seen.add(child.id);
      leaf = child.id;
    }
  }

  /** Shows the branch through `messageId` (a version the user chose): the active leaf becomes its latest leaf. */
  setActiveVersion(messageId: string): { conversationId: string; activeLeafId: string } {
    const node = this.requireNode(messageId);
    const leaf = this.latestLeafUnder(node.id);
    this.setActiveLeaf(node.conversation_id, leaf);
    return { conversationId: node.conversation_id, activeLeafId: leaf };
  }

  /**
   * Deletes a message and everything below it. If the active leaf was among them, the conversation shows the most
   * recent remaining version of the message instead, else its parent, else nothing.
   */
  deleteSubtree(messageId: string): DeletedSubtree {
    const node = this.requireNode(messageId);
    const conversationId = node.conversation_id;
    const deleted = (
      this.db
        .prepare(
          `WITH RECURSIVE down(id) AS (
             SELECT @id UNION SELECT m.id FROM messages m JOIN down ON m.parent_id = down.id AND m.conversation_id = @conversation
           )
           SELECT id FROM down`,
        )
        .all({ id: node.id, conversation: conversationId }) as { id: string }[]
    ).map((row) => row.id);
    const before = this.activeLeaf(conversationId);
    // One statement: the foreign key on parent_id is checked once every row below is gone too.
    this.db
      .prepare(`DELETE FROM messages WHERE id IN (SELECT value FROM json_each(?))`)
      .run(JSON.stringify(deleted));
    let activeLeafId = before;
    if (before !== null && deleted.includes(before)) {
      const sibling = this.children(conversationId, node.parent_id).at(-1);
      // The parent is only gone too in a damaged file whose tree loops.
      const parent = node.parent_id !== null && !deleted.includes(node.parent_id) ? node.parent_id : null;
      activeLeafId = sibling ? this.latestLeafUnder(sibling) : parent;
      this.setActiveLeaf(conversationId, activeLeafId);
    }
    return { conversationId, deleted, activeLeafId };
  }

  conversationOf(messageId: string): string {
    return this.requireNode(messageId).conversation_id;
  }

  private requireNode(id: string): Node {
    const node = this.db.prepare("SELECT id, conversation_id, parent_id, seq FROM messages WHERE id = ?").get(id) as
      | Node
      | undefined;
    if (!node) throw new AppError("NOT_FOUND", "That message no longer exists.");
    return node;
  }
}
