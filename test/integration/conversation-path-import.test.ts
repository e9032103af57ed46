import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImportProgress, MethodOutput } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { chatGptConversation, writeChatGptExport } from "../fixtures/chatgpt-export-writer.js";
import { call } from "../fixtures/core-call.js";
import { tempDir } from "../fixtures/paths.js";

type Result = MethodOutput<"importConversationPath">;

// A collector on demand, so heap figures compare live objects rather than whenever V8 chose to collect.
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

let core: CoreInternals;
let dataDir: string;
let files: string;

beforeAll(async () => {
  dataDir = tempDir("hearth-path-import-");
  files = tempDir("hearth-path-import-files-");
  core = await createCore({ dataDir, shell: "browser", threads: 1 });
});

afterAll(async () => {
  await core?.dispose();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(files, { recursive: true, force: true });
});

const conversationCount = () => (core.store.db.prepare("SELECT COUNT(*) AS n FROM conversations").get() as { n: number }).n;
const importPath = (file: string) => call<Result>(core, "importConversationPath", { path: file });
async function refused(file: string): Promise<{ code: string; message: string }> {
  const result = await core.call("importConversationPath", { path: file });
  if (result.ok) throw new Error("the import was expected to be refused");
  return result.error;
}
/** The messages stored for a conversation titled `title` (its branch, oldest first). */
function messagesOf(title: string): string[] {
  const row = core.store.db.prepare("SELECT id FROM conversations WHERE title = ? ORDER BY created_at DESC LIMIT 1").get(title) as { id: string } | undefined;
  if (!row) return [];
  return (core.store.db.prepare("SELECT role, content FROM messages WHERE conversation_id = ? ORDER BY seq").all(row.id) as { role: string; content: string }[]).map(
    (m) => `${m.role}: ${m.content.split(":")[0]}`,
  );
}

describe("importing a conversations file by its path", () => {
  // Most of the time is SQLite writing 27,000 messages and their full-text index, not the reading.
  it("streams a 40 MB ChatGPT export in bounded memory, with progress, every conversation whole", { timeout: 400_000 }, async () => {
    const file = path.join(files, "large-conversations.json");
    // About 3,000 conversations of 1 to 8 turns with 2.4 KB answers: 40+ MB, like a real export of a heavy user.
    const written = writeChatGptExport(file, { conversations: 3_000, turns: (i) => 1 + (i % 8), answerChars: 2_400 });
    expect(written.bytes).toBeGreaterThan(40 * 1024 * 1024);
    const before = conversationCount();
    const progress: ImportProgress[] = [];
    let peak = 0;
    let peakLive = 0;
    const unsubscribe = core.subscribe("imports", (event) => {
      progress.push(event.progress);
      // Both what the heap holds (garbage V8 has not collected yet included) and what is still alive.
      peak = Math.max(peak, process.memoryUsage().heapUsed);
      gc();
      peakLive = Math.max(peakLive, process.memoryUsage().heapUsed);
    });
    gc();
    const baseline = process.memoryUsage().heapUsed;
    const started = Date.now();
    const result = await importPath(file);
    const seconds = (Date.now() - started) / 1000;
    unsubscribe();
    gc();
    const after = process.memoryUsage().heapUsed;
    const mb = (n: number) => Math.round(n / 1024 / 1024);
    console.log(`path import: ${mb(written.bytes)} MB file in ${seconds.toFixed(1)} s; heap baseline ${mb(baseline)} MB, peak +${mb(peak - baseline)} MB (live +${mb(peakLive - baseline)} MB), after +${mb(after - baseline)} MB`);

    const turns = Array.from({ length: 3_000 }, (_, i) => 1 + (i % 8)).reduce((a, b) => a + b, 0);
    expect(result).toMatchObject({ imported: 3_000, messageCount: turns * 2, skipped: 0, failed: 0, stoppedEarly: null });
    expect(conversationCount() - before).toBe(3_000);
    expect(messagesOf("Chat 2999")).toEqual(Array.from({ length: 8 }, (_, t) => [`user: Question 2999.${t}`, `assistant: Answer 2999.${t}`]).flat());
    // Memory follows one conversation and one batch, not the file: peak growth well under the file's size.
    // (Reading the whole file as one string, as the old import did, would take more than its size alone.)
    expect(peakLive - baseline).toBeLessThan(written.bytes / 4);
    expect(peak - baseline).toBeLessThan(written.bytes);
    expect(after - baseline).toBeLessThan(written.bytes / 8);
    // Progress as it read, ending at the whole file.
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.map((p) => p.bytesRead)).toEqual([...progress.map((p) => p.bytesRead)].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ bytesRead: written.bytes, totalBytes: written.bytes, imported: 3_000 });
  });

  it("keeps the conversations before a cut, none half, and says where the file broke off", async () => {
    const file = path.join(files, "truncated.json");
    const written = writeChatGptExport(file, { conversations: 40, turns: () => 3, answerChars: 400, title: "Cut" });
    // Cut in the middle of conversation 26 (index 25).
    const cut = Math.floor((written.ends[24]! + written.ends[25]!) / 2);
    fs.truncateSync(file, cut);
    const before = conversationCount();
    const result = await importPath(file);
    expect(result.imported).toBe(25);
    expect(result.stoppedEarly).toMatch(/ends too early after 25 conversations: it was cut short/);
    expect(conversationCount() - before).toBe(25);
    expect(messagesOf("Cut 24")).toHaveLength(6);
    expect(messagesOf("Cut 25")).toHaveLength(0);
  });

  it("refuses a file cut short before its first conversation ends, and imports nothing", async () => {
    const file = path.join(files, "cut-first.json");
    const written = writeChatGptExport(file, { conversations: 3, turns: () => 2, answerChars: 100 });
    fs.truncateSync(file, Math.floor(written.ends[0]! / 2));
    const before = conversationCount();
    expect(await refused(file)).toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/ends too early/) });
    expect(conversationCount()).toBe(before);
  });

  it("refuses a file of the wrong shape outright, and leaves out a conversation that does not match while keeping the rest", async () => {
    const before = conversationCount();
    for (const [name, text] of [
      ["object.json", '{"foo": 1}'],
      ["numbers.json", "[1, 2, 3]"],
      ["hearth-newer.json", '{"format": "hearth.conversation", "version": 99}'],
      ["not-json.json", "conversations: yes"],
      ["empty-array.json", "[]"],
    ] as const) {
      const file = path.join(files, name);
      fs.writeFileSync(file, text);
      expect((await refused(file)).code, name).toBe("INVALID_INPUT");
    }
    expect(await refused(path.join(files, "object.json"))).toMatchObject({ message: expect.stringMatching(/neither a Hearth conversation export .* nor a ChatGPT/) });

    const file = path.join(files, "one-bad.json");
    writeChatGptExport(file, {
      conversations: 5,
      turns: () => 1,
      answerChars: 50,
      conversation: (i) => (i === 2 ? { title: "Broken", mapping: "not a mapping" } : i === 3 ? { title: "Empty", mapping: {} } : undefined),
    });
    const result = await importPath(file);
    expect(result).toMatchObject({ imported: 3, skipped: 1, failed: 1, stoppedEarly: null });
    expect(result.failures).toEqual([{ index: 2, title: "Broken", reason: expect.stringMatching(/^It does not match ChatGPT's format: mapping/) }]);
    expect(conversationCount() - before).toBe(3);
  });

  it("refuses a file that nests without end, or holds one conversation too large, without reading it whole", async () => {
    const deep = path.join(files, "deep.json");
    fs.writeFileSync(deep, "[".repeat(200_000));
    expect(await refused(deep)).toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/nests deeper than 32 levels/) });

    const huge = path.join(files, "huge-string.json");
    const fd = fs.openSync(huge, "w");
    fs.writeSync(fd, '[{"title": "Huge", "mapping": {}, "x": "');
    const block = "a".repeat(1024 * 1024);
    for (let i = 0; i < 40; i++) fs.writeSync(fd, block);
    fs.writeSync(fd, '"}]');
    fs.closeSync(fd);
    const before = conversationCount();
    expect(await refused(huge)).toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/Conversation 1 is larger than 32 MB/) });
    expect(conversationCount()).toBe(before);
  });

  it("takes a flood of tiny conversations in batches and answers with counts, not the list", async () => {
    const file = path.join(files, "flood.json");
    writeChatGptExport(file, {
      conversations: 20_000,
      turns: () => 1,
      answerChars: 0,
      conversation: (i) => (i % 2 === 0 ? chatGptConversation(i, 1, "") : { title: null, mapping: {} }),
    });
    const before = conversationCount();
    const started = Date.now();
    const result = await importPath(file);
    console.log(`flood: 20,000 conversations in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(result).toMatchObject({ imported: 10_000, skipped: 10_000, failed: 0, messageCount: 20_000 });
    expect(JSON.stringify(result).length).toBeLessThan(1_000);
    expect(conversationCount() - before).toBe(10_000);
  });

  it("says what is wrong with a path that is a folder, missing, relative or not a file", async () => {
    expect(await refused(files)).toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/folder, not a file/) });
    expect(await refused(path.join(files, "missing.json"))).toMatchObject({ code: "NOT_FOUND", message: "There is no file at that path." });
    expect(await refused("conversations.json")).toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/full path/) });
    const fifo = path.join(files, "pipe.json");
    execFileSync("mkfifo", [fifo]);
    expect(await refused(fifo)).toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/not a regular file/) });
    const empty = path.join(files, "empty.json");
    fs.writeFileSync(empty, "");
    expect(await refused(empty)).toMatchObject({ code: "INVALID_INPUT", message: "The file is empty." });
  });

  it("says so when a file may not be read (a user without root: root reads every file)", async () => {
    const locked = path.join(files, "locked.json");
    fs.writeFileSync(locked, "[]");
    fs.chmodSync(locked, 0o000);
    const asRoot = process.getuid?.() === 0;
    const error = await refused(locked);
    // As root the file is readable, and refused for what it holds (no conversations) instead.
    expect(error).toMatchObject({ code: "INVALID_INPUT", message: asRoot ? expect.stringMatching(/neither|no conversation|cut short/i) : expect.stringMatching(/permission denied/) });
  });

  it("imports Hearth's own conversation export by path", async () => {
    const conversation = core.store.createConversation(null);
    core.store.renameConversation(conversation.id, "Hearth by path");
    core.store.addMessage({ conversationId: conversation.id, role: "user", content: "Hello from a file", status: "complete" });
    const exported = await call<{ content: string }>(core, "exportConversation", { conversationId: conversation.id, format: "json" });
    const file = path.join(files, "hearth.json");
    fs.writeFileSync(file, exported.content);
    const result = await importPath(file);
    expect(result).toMatchObject({ imported: 1, messageCount: 1, failed: 0 });
    expect(result.firstConversationId).not.toBe(conversation.id);
    expect(core.store.requireConversation(result.firstConversationId!).title).toBe("Hearth by path");
  });
});
