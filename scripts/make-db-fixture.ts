import fs from "node:fs";
import path from "node:path";
import { schemaVersion } from "../electron/core/store/database.js";
import { Store } from "../electron/core/store/store.js";

/**
 * Writes a small, unencrypted database with the schema this build writes, through the Store API only, so a later
 * migration can be tested on a file the shipped code really produced: test/fixtures/db/schema-v<N>.sqlite.
 * Run it once per schema version, before that schema changes; never regenerate an older version's file.
 *   npx tsc -p tsconfig.node.json --outDir /tmp/fixture-build && node /tmp/fixture-build/scripts/make-db-fixture.js
 */
function main(): void {
  const outDir = path.resolve(process.argv[2] ?? "test/fixtures/db");
  const file = path.join(outDir, `schema-v${schemaVersion}.sqlite`);
  if (fs.existsSync(file)) throw new Error(`${file} exists: a fixture is made once, by the schema it is named after.`);
  fs.mkdirSync(outDir, { recursive: true });
  // A fixed clock, so times in the fixture are readable and its order does not depend on the machine.
  let clock = Date.UTC(2026, 0, 5, 9, 0, 0);
  const store = new Store(file, () => (clock += 1000));
  fillWithConversations(store);
  // One self-contained file (no -wal beside it), as small as it can be.
  store.db.pragma("journal_mode = DELETE");
  store.db.exec("VACUUM");
  store.close();
  console.log(`wrote ${path.relative(process.cwd(), file)} (${fs.statSync(file).size} bytes)`);
}

const stats = { timeToFirstTokenMs: 120, tokensPerSecond: 42.5, outputTokens: 17, evaluatedInputTokens: 30, loadMs: null };

function fillWithConversations(store: Store): void {
  const model = store.addModel({
    name: "Tiny Llama", path: "/models/tiny-llama.gguf", sizeBytes: 1234567, architecture: "llama", parameters: 1.1e9,
    quantization: "Q4_K_M", trainContextLength: 2048, hasChatTemplate: true, source: "downloaded", repo: "example/tiny-llama-GGUF",
  });
  store.setSetting("theme", "dark");
  store.setSetting("defaultModelId", model.id);

  // 1. Local: a finished answer with reasoning, then an answer a crash left streaming (reopened as interrupted).
  const local = store.createConversation(model.id);
  store.renameConversation(local.id, "Lighthouse lamps");
  store.updateConversationSettings(local.id, { systemPrompt: "You are a terse keeper.", temperature: 0.3, maxOutputTokens: 256 });
  store.addMessage({ conversationId: local.id, role: "user", content: "How often is the lamp trimmed?", status: "complete" });
  const first = answer(store, local.id, model.id);
  store.finishMessage(first, { content: "Every evening at dusk.", reasoning: "The keeper trims the wick daily.", status: "complete", stats, error: null });
  store.addMessage({ conversationId: local.id, role: "user", content: "And the lens?", status: "complete" });
  const cut = answer(store, local.id, model.id);
  store.saveProgress(cut, "The lens is polished", "Polishing happens");

  // 2. Ask mode with a cloud answer, a failover answer and a failed answer; its placeholder map.
  const cloud = store.createConversation(model.id, "ask");
  store.renameConversation(cloud.id, "Tide tables");
  store.updateConversationSettings(cloud.id, { cloudProviderId: "provider-fixture" });
  store.setPlaceholderMap(cloud.id, { "jane@example.com": "[EMAIL_1]" });
  store.addMessage({ conversationId: cloud.id, role: "user", content: "Email jane@example.com the tide table.", status: "complete" });
  const byCloud = answer(store, cloud.id, model.id);
  store.setAnsweredBy(byCloud, { kind: "cloud", provider: "OpenAI", model: "gpt-4o-mini", reason: "You asked for the cloud (approved)", failover: false }, "OpenAI gpt-4o-mini");
  store.finishMessage(byCloud, { content: "High tide is at 06:12.", reasoning: "", status: "complete", stats: { ...stats, timeToFirstTokenMs: null, tokensPerSecond: null }, error: null });
  store.addMessage({ conversationId: cloud.id, role: "user", content: "And tomorrow?", status: "complete" });
  const failover = answer(store, cloud.id, model.id);
  store.setAnsweredBy(failover, { kind: "local", provider: null, model: "Tiny Llama", reason: "OpenAI failed (rate limit) — answered locally", failover: true }, "Tiny Llama");
  store.finishMessage(failover, { content: "About 07:00.", reasoning: "", status: "complete", stats, error: null });
  store.addMessage({ conversationId: cloud.id, role: "user", content: "Thanks. One more?", status: "complete" });
  const failed = answer(store, cloud.id, model.id);
  store.finishMessage(failed, {
    content: "", reasoning: "", status: "error", stats: null,
    error: { code: "GENERATION_FAILED", message: "The model stopped unexpectedly.", retryable: true },
  });

  // 3. A regenerated answer (the old one deleted, its `seq` reused) and a stopped one.
  const regen = store.createConversation(null);
  store.renameConversation(regen.id, "Knots");
  store.addMessage({ conversationId: regen.id, role: "user", content: "Name a knot.", status: "complete" });
  const dropped = answer(store, regen.id, model.id);
  store.finishMessage(dropped, { content: "Granny knot.", reasoning: "", status: "complete", stats, error: null });
  store.deleteMessage(dropped);
  const kept = answer(store, regen.id, model.id);
  store.finishMessage(kept, { content: "Bowline.", reasoning: "", status: "complete", stats, error: null });
  store.addMessage({ conversationId: regen.id, role: "user", content: "Another?", status: "complete" });
  const stopped = answer(store, regen.id, model.id);
  store.finishMessage(stopped, { content: "Clove", reasoning: "", status: "stopped", stats: null, error: null });

  // 4. A new chat with no messages yet.
  store.createConversation(null);
}

function answer(store: Store, conversationId: string, modelId: string): string {
  return store.addMessage({ conversationId, role: "assistant", content: "", status: "streaming", modelId, modelName: "Tiny Llama" }).id;
}

main();
