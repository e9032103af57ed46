import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, tempDir } from "../../../test/fixtures/paths.js";
import { ConversationSearch } from "./conversation-search.js";
import { migrations } from "./database.js";
import { Store } from "./store.js";

/** Written by the Store of commit c11081d (schema 3); see test/fixtures/db/README.md. */
const fixture = path.join(repoRoot, "test/fixtures/db/schema-v3.sqlite");

function copyOfFixture(): string {
  const file = path.join(tempDir("hearth-search-migration-"), "hearth.db");
  fs.copyFileSync(fixture, file);
  return file;
}

describe("search index migration, on a database written by the schema-3 Store", () => {
  it("indexes every existing title and message, then keeps the index in step", () => {
    const store = new Store(copyOfFixture());
    try {
      expect(store.db.pragma("user_version", { simple: true })).toBe(migrations.length);
      const search = new ConversationSearch(store.db);
      const conversations = store.listConversations();
      const messages = store.db.prepare("SELECT COUNT(*) AS n FROM messages").get() as { n: number };
      const docs = store.db.prepare("SELECT COUNT(*) AS n FROM search_index").get() as { n: number };
      expect(docs.n).toBe(conversations.length + messages.n);

      const lighthouse = conversations.find((c) => c.title === "Lighthouse lamps")!;
      const [title, ...rest] = search.search("lamp");
      expect(title).toMatchObject({ conversationId: lighthouse.id, messageId: null, snippet: "Lighthouse lamps" });
      expect(title!.highlights).toEqual([{ start: 11, end: 16 }]);
      const question = store.listMessages(lighthouse.id).find((m) => m.content === "How often is the lamp trimmed?")!;
      expect(rest.map((r) => [r.messageId, r.role])).toEqual([[question.id, "user"]]);

      const tide = conversations.find((c) => c.title === "Tide tables")!;
      expect(search.search("jane example").map((r) => r.conversationId)).toEqual([tide.id]);
      // The answer a crash left streaming was indexed with the text it had.
      expect(search.search("polished").map((r) => r.role)).toEqual(["assistant"]);

      // The triggers work on the migrated file too.
      store.renameConversation(tide.id, "Harbour almanac");
      expect(search.search("almanac").map((r) => r.conversationId)).toEqual([tide.id]);
      store.deleteConversation(tide.id);
      expect(search.search("jane")).toEqual([]);
    } finally {
      store.close();
    }
  });
});
