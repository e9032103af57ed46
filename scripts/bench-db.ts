import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { fileKeyCipher } from "../electron/core/secrets/secret-store.js";
import { DatabaseGuard } from "../electron/core/store/database-guard.js";
import { Store } from "../electron/core/store/store.js";

/**
 * The cost of database encryption on the chat path: the store operations of a chat turn, timed on a plaintext and
 * on an encrypted database (SQLite3 Multiple Ciphers, the app's default cipher), same data, same order.
 *
 * Usage: npm run -s bench:db -- [--turns N] [--json]
 *   A turn: insert the user message, insert the assistant message, saveProgress every 250 ms of a 10 s answer
 *   (40 saves, the answer growing to ~4 KB), finishMessage, listConversations; then getConversation of a
 *   conversation with 1,000 messages. Each figure is the median of its samples, in microseconds.
 */

type Mode = "plaintext" | "encrypted";
type OpName = "openAtStart" | "insertUserMessage" | "saveProgress" | "finishMessage" | "listConversations" | "getConversation1000" | "wholeTurn";

const answerChunk = "The lighthouse keeper trims the wick, checks the lens and notes the weather in the log. ";
const saveEveryMs = 250;
const answerSeconds = 10;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function timed<T>(samples: number[], run: () => T): T {
  const start = performance.now();
  const value = run();
  samples.push((performance.now() - start) * 1000);
  return value;
}

function measure(mode: Mode, turns: number): Record<OpName, number> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `hearth-bench-db-${mode}-`));
  const samples: Record<OpName, number[]> = {
    openAtStart: [], insertUserMessage: [], saveProgress: [], finishMessage: [], listConversations: [], getConversation1000: [], wholeTurn: [],
  };
  try {
    const options = { dataDir, cipher: fileKeyCipher(path.join(dataDir, "secrets.key")), requireEncryption: () => mode === "encrypted" };
    // The first start creates the file; later starts are what a user waits for (check, backup, key derivation).
    new DatabaseGuard(options).close();
    let guard = new DatabaseGuard(options);
    let store = new Store(guard.db);

    // A history like a real one: 50 conversations, one of them 1,000 messages long.
    for (let c = 0; c < 49; c++) {
      const other = store.createConversation(null);
      for (let m = 0; m < 10; m++) store.addMessage({ conversationId: other.id, role: m % 2 ? "assistant" : "user", content: answerChunk.repeat(5), status: "complete" });
    }
    const long = store.createConversation(null);
    for (let m = 0; m < 1000; m++) store.addMessage({ conversationId: long.id, role: m % 2 ? "assistant" : "user", content: answerChunk.repeat(8), status: "complete" });

    for (let start = 0; start < 5; start++) {
      guard.close();
      guard = timed(samples.openAtStart, () => new DatabaseGuard(options));
      store = new Store(guard.db);
    }
    if (guard.state().encrypted !== (mode === "encrypted")) throw new Error(`the ${mode} run opened the wrong kind of database`);

    const chat = store.createConversation(null);
    for (let turn = 0; turn < turns; turn++) {
      const turnStart = performance.now();
      timed(samples.insertUserMessage, () => store.addMessage({ conversationId: chat.id, role: "user", content: `Question ${turn}: how is the lamp today?`, status: "complete" }));
      const answer = store.addMessage({ conversationId: chat.id, role: "assistant", content: "", status: "streaming" });
      let text = "";
      for (let save = 0; save < (answerSeconds * 1000) / saveEveryMs; save++) {
        text += answerChunk;
        timed(samples.saveProgress, () => store.saveProgress(answer.id, text, ""));
      }
      timed(samples.finishMessage, () =>
        store.finishMessage(answer.id, {
          content: text,
          reasoning: "",
          status: "complete",
          stats: { timeToFirstTokenMs: 120, tokensPerSecond: 30, outputTokens: 300, evaluatedInputTokens: 40 },
          error: null,
        }),
      );
      timed(samples.listConversations, () => store.listConversations());
      samples.wholeTurn.push((performance.now() - turnStart) * 1000);
      timed(samples.getConversation1000, () => ({ conversation: store.getConversation(long.id), messages: store.listMessages(long.id) }));
    }
    guard.close();
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, Math.round(median(values) * 10) / 10])) as Record<OpName, number>;
}

export function main(argv = process.argv.slice(2)): void {
  const { values } = parseArgs({ args: argv, options: { turns: { type: "string", default: "40" }, json: { type: "boolean", default: false } }, strict: true });
  const turns = Number(values.turns);
  if (!Number.isInteger(turns) || turns < 1) throw new Error("--turns takes a positive whole number");
  // Warm up both (page cache, JIT), then measure plaintext, encrypted, plaintext, encrypted and keep the faster
  // of each pair's medians, so a burst of other load on the machine does not land on one side only.
  measure("plaintext", 3);
  measure("encrypted", 3);
  const runs = [measure("plaintext", turns), measure("encrypted", turns), measure("plaintext", turns), measure("encrypted", turns)];
  const best = (a: Record<OpName, number>, b: Record<OpName, number>) =>
    Object.fromEntries(Object.keys(a).map((k) => [k, Math.min(a[k as OpName], b[k as OpName])])) as Record<OpName, number>;
  const plaintext = best(runs[0]!, runs[2]!);
  const encrypted = best(runs[1]!, runs[3]!);
  const ratio = Object.fromEntries(Object.keys(plaintext).map((k) => [k, Math.round((encrypted[k as OpName] / plaintext[k as OpName]) * 100) / 100]));
  const report = { unit: "microseconds (median)", turns, saveProgressPerTurn: (answerSeconds * 1000) / saveEveryMs, plaintext, encrypted, ratio };
  if (values.json) {
    console.log(JSON.stringify(report));
    return;
  }
  console.log(`store operations of a chat turn, median µs over ${turns} turns (encrypted / plaintext):`);
  for (const name of Object.keys(plaintext) as OpName[]) {
    console.log(`  ${name.padEnd(20)} ${String(plaintext[name]).padStart(10)} ${String(encrypted[name]).padStart(10)}   x${ratio[name]}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
