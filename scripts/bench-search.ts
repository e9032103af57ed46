import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { ConversationSearch } from "../electron/core/store/conversation-search.js";
import { Store } from "../electron/core/store/store.js";

/**
 * Full-text search at scale: one conversation of N messages (markdown with code blocks and tables, ~560 characters
 * each, like issue 12's 5,000-message chat) written through the Store with the search triggers on and off, the
 * index's size, and the median / p95 time of searchConversations' store call for common, rare, prefix, phrase and
 * missing words.
 *
 * Usage: npm run -s bench:search -- [--messages N] [--runs R] [--json]
 */

const words = ("lighthouse keeper lamp wick lens weather log harbour tide table knot rope sail mast anchor boat river mill " +
  "bridge tree children bank dog duck reed water storm cloud wind rain sun moon star island quokka wombat otter heron " +
  "kettle bread cheese apple garden soil compost tomato function return const value array object string number").split(" ");

/** A deterministic pseudo-random generator, so every run writes the same text. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function messageText(random: () => number, i: number): string {
  const pick = () => words[Math.floor(random() ** 2 * words.length)]!;
  const sentence = () => Array.from({ length: 8 + Math.floor(random() * 10) }, pick).join(" ") + ".";
  const parts = [`Message ${i}: ${sentence()} ${sentence()} ${sentence()}`, `${sentence()} ${sentence()}`];
  if (i % 3 === 0) parts.push("```ts\nconst " + pick() + " = " + pick() + "(" + i + ");\nreturn " + pick() + ";\n```");
  if (i % 5 === 0) parts.push(`| ${pick()} | ${pick()} |\n|---|---|\n| ${i} | ${pick()} |`);
  parts.push(sentence());
  // The rare word: one message in 1,000.
  if (i % 1000 === 7) parts.push("The zeppelin leaves at noon.");
  return parts.join("\n\n");
}

const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;

function fill(file: string, count: number, withIndex: boolean): { store: Store; ms: number; bytes: number } {
  const store = new Store(file);
  if (!withIndex) {
    for (const name of ["search_message_added", "search_message_changed", "search_message_deleted", "search_conversation_added"]) {
      store.db.exec(`DROP TRIGGER ${name}`);
    }
  }
  const random = rng(42);
  const conversation = store.createConversation(null);
  store.renameConversation(conversation.id, "Long chat about lighthouses");
  let bytes = 0;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const content = messageText(random, i);
    bytes += Buffer.byteLength(content);
    store.addMessage({ conversationId: conversation.id, role: i % 2 === 0 ? "user" : "assistant", content, status: "complete" });
  }
  return { store, ms: performance.now() - start, bytes };
}

export function benchSearch(count: number, runs: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hearth-bench-search-"));
  try {
    const plain = fill(path.join(dir, "plain.db"), count, false);
    plain.store.close();
    const indexed = fill(path.join(dir, "indexed.db"), count, true);
    const db = indexed.store.db;
    const sizeOf = (like: string) =>
      (db.prepare("SELECT COALESCE(SUM(pgsize), 0) AS n FROM dbstat WHERE name LIKE ?").get(like) as { n: number }).n;
    const indexBytes = sizeOf("search_%");
    const messagesBytes = sizeOf("messages%") + sizeOf("sqlite_autoindex_messages%");
    const search = new ConversationSearch(db);
    const queries: Record<string, string> = {
      common: "lighthouse",
      twoWords: "keeper lamp",
      prefix: "lightho",
      phrase: '"zeppelin leaves"',
      rare: "zeppelin",
      missing: "xylophone",
      title: "lighthouses",
    };
    const timings: Record<string, { medianMs: number; p95Ms: number; results: number }> = {};
    for (const [name, query] of Object.entries(queries)) {
      const samples: number[] = [];
      let results = 0;
      for (let r = 0; r < runs; r++) {
        const start = performance.now();
        results = search.search(query).length;
        samples.push(performance.now() - start);
      }
      timings[name] = { medianMs: +quantile(samples, 0.5).toFixed(3), p95Ms: +quantile(samples, 0.95).toFixed(3), results };
    }
    indexed.store.close();
    return {
      messages: count,
      textBytes: indexed.bytes,
      insertAllMs: { withIndex: Math.round(indexed.ms), withoutIndex: Math.round(plain.ms) },
      insertPerMessageUs: {
        withIndex: Math.round((indexed.ms / count) * 1000),
        withoutIndex: Math.round((plain.ms / count) * 1000),
      },
      indexBytes,
      messagesTableBytes: messagesBytes,
      searchLimit: 20,
      runs,
      timings,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({
    options: { messages: { type: "string", default: "5000" }, runs: { type: "string", default: "30" }, json: { type: "boolean", default: false } },
  });
  const report = benchSearch(Number(values.messages), Number(values.runs));
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(`${report.messages} messages, ${(report.textBytes / 1e6).toFixed(2)} MB of text`);
    console.log(`insert: ${report.insertPerMessageUs.withIndex} µs/message with the index, ${report.insertPerMessageUs.withoutIndex} without`);
    console.log(`index: ${(report.indexBytes / 1e6).toFixed(2)} MB (messages table ${(report.messagesTableBytes / 1e6).toFixed(2)} MB)`);
    for (const [name, t] of Object.entries(report.timings)) console.log(`${name.padEnd(9)} median ${t.medianMs} ms, p95 ${t.p95Ms} ms, ${t.results} results`);
  }
}
