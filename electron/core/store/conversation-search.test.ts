import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../../test/fixtures/paths.js";
import { AppError, type SearchResult } from "../../contract/index.js";
import { ConversationSearch } from "./conversation-search.js";
import { openDatabase } from "./database.js";
import { Store } from "./store.js";

const newStore = () => new Store(path.join(tempDir("hearth-search-"), "hearth.db"));

function chat(store: Store, title: string, ...texts: string[]) {
  const conversation = store.createConversation(null);
  store.renameConversation(conversation.id, title);
  const ids = texts.map((content, i) =>
    store.addMessage({ conversationId: conversation.id, role: i % 2 === 0 ? "user" : "assistant", content, status: "complete" }).id,
  );
  return { id: conversation.id, ids };
}

/** The highlighted words of a result, as the renderer would mark them. */
const marked = (result: SearchResult) => result.highlights.map((h) => result.snippet.slice(h.start, h.end));
const docCount = (store: Store) => (store.db.prepare("SELECT COUNT(*) AS n FROM search_index").get() as { n: number }).n;

describe("conversation search (FTS5)", () => {
  it("ranks by bm25: a title hit first, then the message where the word weighs most", () => {
    const store = newStore();
    const search = new ConversationSearch(store.db);
    const long = chat(store, "Gardening", "Some notes on soil, water, light, compost, mulch and one mention of tomatoes among many other words about beds.");
    const dense = chat(store, "Dinner", "Tomatoes, tomatoes: roast the tomatoes.");
    const titled = chat(store, "Tomatoes", "How deep do I plant them?");
    const results = search.search("tomatoes");
    expect(results.map((r) => [r.conversationId, r.messageId])).toEqual([
      [titled.id, null],
      [dense.id, dense.ids[0]],
      [long.id, long.ids[0]],
    ]);
    expect(results[0]).toMatchObject({ title: "Tomatoes", role: null, snippet: "Tomatoes" });
    expect(results[1]).toMatchObject({ title: "Dinner", role: "user" });
    store.close();
  });

  it("matches every word as a prefix, all words required, accents and case ignored", () => {
    const store = newStore();
    const search = new ConversationSearch(store.db);
    const a = chat(store, "Trip", "We ate at a Café in Zürich", "The lighthouse keeper trimmed the lamps");
    expect(search.search("light").map((r) => r.messageId)).toEqual([a.ids[1]]);
    expect(search.search("LIGHT lam").map((r) => r.messageId)).toEqual([a.ids[1]]);
    expect(search.search("cafe zur").map((r) => r.messageId)).toEqual([a.ids[0]]);
    expect(search.search("lighthouse zurich")).toEqual([]);
    // A quoted phrase is exact: words in that order, not prefixes.
    expect(search.search('"keeper trimmed"').map((r) => r.messageId)).toEqual([a.ids[1]]);
    expect(search.search('"trimmed keeper"')).toEqual([]);
    expect(search.search('"lamp"')).toEqual([]);
    store.close();
  });

  it("gives a plain-text snippet with the hits as ranges, cut around them in a long message", () => {
    const store = newStore();
    const search = new ConversationSearch(store.db);
    const filler = Array.from({ length: 60 }, (_, i) => `word${i}`).join(" ");
    chat(store, "Notes", `${filler} the <b>kettle</b> & Kettles whistle ${filler}`);
    const [hit] = search.search("kettle");
    expect(hit).toBeDefined();
    expect(marked(hit!)).toEqual(["kettle", "Kettles"]);
    expect(hit!.snippet).toContain("<b>kettle</b> & Kettles whistle");
    expect(hit!.snippet.startsWith("…")).toBe(true);
    expect(hit!.snippet.endsWith("…")).toBe(true);
    expect(hit!.snippet).not.toMatch(/[\uE000\uE001]/);
    expect(hit!.snippet.length).toBeLessThan(200);
    store.close();
  });

  it("is kept in step by triggers: new, finished, deleted messages, renamed and deleted conversations", () => {
    const store = newStore();
    const search = new ConversationSearch(store.db);
    const c = chat(store, "New chat", "first question about otters");
    expect(search.search("otters").map((r) => r.messageId)).toEqual([c.ids[0]]);

    // A streaming answer is indexed when it ends, not at every progress save.
    const answer = store.addMessage({ conversationId: c.id, role: "assistant", content: "", status: "streaming" });
    store.saveProgress(answer.id, "Otters hold hands while sleeping", "");
    expect(search.search("sleeping")).toEqual([]);
    store.finishMessage(answer.id, { content: "Otters hold hands while sleeping", reasoning: "", status: "complete", stats: null, error: null });
    expect(search.search("sleeping").map((r) => [r.messageId, r.role])).toEqual([[answer.id, "assistant"]]);

    // An answer a crash left streaming is indexed once it is marked interrupted.
    const cut = store.addMessage({ conversationId: c.id, role: "assistant", content: "", status: "streaming" });
    store.saveProgress(cut.id, "Beavers build dams", "");
    store.markInterrupted();
    expect(search.search("beavers").map((r) => r.messageId)).toEqual([cut.id]);

    store.renameConversation(c.id, "Mustelids");
    expect(search.search("mustel").map((r) => [r.conversationId, r.messageId, r.title])).toEqual([[c.id, null, "Mustelids"]]);
    expect(search.search("new chat")).toEqual([]);

    store.deleteMessage(answer.id);
    expect(search.search("sleeping")).toEqual([]);
    expect(search.search("otters").map((r) => r.messageId)).toEqual([c.ids[0]]);

    const other = chat(store, "Other", "otters again");
    store.deleteConversation(c.id);
    expect(search.search("otters").map((r) => r.conversationId)).toEqual([other.id]);
    expect(search.search("beavers")).toEqual([]);
    // Nothing of the deleted conversation is left in the index: one title and one message remain.
    expect(docCount(store)).toBe(2);
    store.close();
  });

  it("finds messages on every branch, not only the active one", () => {
    const store = newStore();
    const search = new ConversationSearch(store.db);
    const c = chat(store, "Branches", "Tell me about herons");
    const first = store.addMessage({ conversationId: c.id, role: "assistant", content: "Herons wade", status: "complete" });
    const second = store.addMessage({ conversationId: c.id, role: "assistant", content: "Egrets too", status: "complete", parentId: c.ids[0]! });
    expect(store.listMessages(c.id).map((m) => m.id)).toEqual([c.ids[0], second.id]);
    expect(search.search("wade").map((r) => r.messageId)).toEqual([first.id]);
    // Opening the hit shows its branch.
    store.setActiveVersion(first.id);
    expect(store.listMessages(c.id).map((m) => m.id)).toEqual([c.ids[0], first.id]);
    store.close();
  });

  it("treats FTS syntax, quotes and SQL as plain words, refuses huge input with INVALID_INPUT, never an SQL error", () => {
    const store = newStore();
    const search = new ConversationSearch(store.db);
    const c = chat(store, "Syntax", 'He said "NEAR(a b)" AND title:x OR -y ^z col*umn; DROP TABLE messages; --');
    const hostile = ['"', '""', '"unclosed', "NEAR(", "NEAR(a b)", "a OR", "AND", "title:x", "title : x", "*", "-y", "^z", "col*umn",
      "(", ")", "{title body}: x", "'; DROP TABLE messages; --", "\\", "\u0000", "🙂", "a\"b", "+", ":", "NOT", "x NOT y", "\uE000"];
    for (const query of hostile) {
      const run = () => search.search(query);
      expect(run, query).not.toThrow();
    }
    // The words are still found as words.
    expect(search.search("NEAR(a b)").map((r) => r.messageId)).toEqual([c.ids[0]]);
    expect(search.search("title:x").map((r) => r.messageId)).toEqual([c.ids[0]]);
    expect(search.search("DROP TABLE messages").map((r) => r.messageId)).toEqual([c.ids[0]]);
    expect(search.search("   ")).toEqual([]);
    expect(search.search("!!! ...")).toEqual([]);

    const tooLong = () => search.search("a".repeat(201));
    expect(tooLong).toThrow(AppError);
    expect(tooLong).toThrow(/at most 200 characters/);
    const tooMany = () => search.search(Array.from({ length: 17 }, (_, i) => `w${i}`).join(" "));
    expect(tooMany).toThrow(/at most 16 words/);
    try {
      tooMany();
    } catch (error) {
      expect((error as AppError).code).toBe("INVALID_INPUT");
    }
    expect(store.listMessages(c.id)).toHaveLength(1);
    store.close();
  });

  it("caps results at the limit, best first", () => {
    const store = newStore();
    const search = new ConversationSearch(store.db);
    chat(store, "Many", ...Array.from({ length: 30 }, (_, i) => `pebble number ${i}`));
    expect(search.search("pebble")).toHaveLength(20);
    expect(search.search("pebble", 5)).toHaveLength(5);
    expect(search.search("pebble", 1000)).toHaveLength(30);
    store.close();
  });

  it("works on an encrypted database, whose file holds none of the indexed words", () => {
    const file = path.join(tempDir("hearth-search-enc-"), "hearth.db");
    const key = randomBytes(32);
    const store = new Store(openDatabase(file, { key }));
    const c = chat(store, "Secret plans", "the zeppelin leaves at noon");
    expect(new ConversationSearch(store.db).search("zeppel").map((r) => r.messageId)).toEqual([c.ids[0]]);
    store.db.pragma("wal_checkpoint(TRUNCATE)");
    store.close();
    expect(fs.readFileSync(file).includes(Buffer.from("zeppelin"))).toBe(false);
    const reopened = new Store(openDatabase(file, { key }));
    expect(new ConversationSearch(reopened.db).search("plans").map((r) => r.conversationId)).toEqual([c.id]);
    reopened.close();
  });
});
