import { afterEach, describe, expect, it } from "vitest";
import type { Conversation } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { createStderrLogger } from "../../electron/core/logger.js";
import { call } from "../fixtures/core-call.js";
import { tempDir } from "../fixtures/paths.js";

// listConversations a page at a time through the contract, as the sidebar reads a list of thousands: newest first,
// each page after the last one of the previous, bounded pages, and a cursor that is not a conversation refused.

const cores: CoreInternals[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((core) => core.dispose()));
});

/** A core with `count` conversations titled c0..c{count-1}, c0 the oldest; several share one updated_at. */
async function withConversations(count: number): Promise<{ core: CoreInternals; newestFirst: string[] }> {
  const core = await createCore({ dataDir: tempDir("hearth-list-page-"), shell: "browser", threads: 1, logger: createStderrLogger("error") });
  cores.push(core);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { id } = await call<Conversation>(core, "createConversation", {});
    await call(core, "renameConversation", { conversationId: id, title: `c${i}` });
    ids.push(id);
  }
  // Ties on updated_at (conversations saved in the same millisecond) must neither repeat nor drop across pages.
  const stamp = core.store.db.prepare("UPDATE conversations SET updated_at = ?, created_at = ? WHERE id = ?");
  ids.forEach((id, i) => stamp.run(1_000 + Math.floor(i / 3), 500, id));
  const listed = await call<Conversation[]>(core, "listConversations", {});
  return { core, newestFirst: listed.map((c) => c.id) };
}

const page = (core: CoreInternals, input: { before?: string; limit?: number }) => call<Conversation[]>(core, "listConversations", input);

describe("listConversations in pages", () => {
  it("reads the whole list newest first, page after page, with no conversation twice or missing", async () => {
    const { core, newestFirst } = await withConversations(23);
    expect(newestFirst).toHaveLength(23);
    const titles = (await page(core, {})).map((c) => c.title);
    expect(titles.slice(0, 3)).toEqual(expect.arrayContaining(["c22", "c21"]));
    expect(titles.at(-1)).toMatch(/^c[012]$/);

    const seen: string[] = [];
    let before: string | undefined;
    const sizes: number[] = [];
    for (;;) {
      const next = await page(core, { limit: 5, ...(before ? { before } : {}) });
      sizes.push(next.length);
      seen.push(...next.map((c) => c.id));
      if (next.length < 5) break;
      before = next.at(-1)!.id;
    }
    expect(sizes).toEqual([5, 5, 5, 5, 3]);
    expect(seen).toEqual(newestFirst);
  });

  it("a page is at most `limit` long, and a page after the last one is empty", async () => {
    const { core, newestFirst } = await withConversations(4);
    expect((await page(core, { limit: 1 })).map((c) => c.id)).toEqual(newestFirst.slice(0, 1));
    expect((await page(core, { limit: 1000 })).map((c) => c.id)).toEqual(newestFirst);
    expect(await page(core, { before: newestFirst.at(-1)!, limit: 10 })).toEqual([]);
  });

  it("refuses limits out of bounds and malformed cursors as INVALID_INPUT, and a cursor that is no conversation as NOT_FOUND", async () => {
    const { core } = await withConversations(2);
    for (const input of [
      { limit: 0 },
      { limit: 1001 },
      { limit: 2.5 },
      { limit: "10" },
      { before: "" },
      { before: "x".repeat(101) },
      { before: 42 },
      { before: { updatedAt: 1 } },
      { cursor: "abc" },
    ]) {
      const result = await core.call("listConversations", input);
      expect(result.ok, JSON.stringify(input)).toBe(false);
      if (!result.ok) expect(result.error.code).toBe("INVALID_INPUT");
    }
    const missing = await core.call("listConversations", { before: "no-such-conversation", limit: 5 });
    expect(missing.ok).toBe(false);
    if (!missing.ok) {
      expect(missing.error.code).toBe("NOT_FOUND");
      expect(missing.error.message).toMatch(/changed while it was loading/);
    }
    // The core is still answering.
    expect(await page(core, { limit: 5 })).toHaveLength(2);
  });
});
