import type { Store } from "../electron/core/store/store.js";

/**
 * The bench's data, deterministic (no randomness): a long conversation whose answers are markdown with code blocks
 * and tables, like a real working session with a model, and many small conversations for the sidebar.
 */

const topics = ["lighthouse", "harbour", "ferry", "tide table", "signal lamp", "fog horn", "keeper's log", "lens"];

function assistantText(n: number): string {
  const topic = topics[n % topics.length]!;
  const parts = [
    `### Step ${n}: the ${topic}\n`,
    `The ${topic} needs attention before the evening shift. Check the fittings, note the readings and compare them ` +
      `with yesterday's entry; **anything** that changed by more than a tenth goes in the log with the time. ` +
      `See [the manual](https://example.org/manual/${n}) for the full procedure, and keep \`reading_${n}\` handy.\n`,
    `- inspect the ${topic} for wear\n- record the reading at ${(n % 24).toString().padStart(2, "0")}:00\n- report anything unusual\n`,
  ];
  if (n % 3 === 0) {
    parts.push(
      "```ts\n" +
        `export function reading${n}(log: number[]): number {\n` +
        `  // the mean of the last ${(n % 7) + 3} entries\n` +
        `  const recent = log.slice(-${(n % 7) + 3});\n` +
        "  return recent.reduce((sum, value) => sum + value, 0) / recent.length;\n" +
        "}\n```\n",
    );
  }
  if (n % 5 === 0) {
    parts.push(
      "| Item | Before | After |\n| --- | ---: | ---: |\n" +
        `| ${topic} | ${n % 97} | ${(n * 7) % 101} |\n| wick | ${n % 13} | ${(n * 3) % 17} |\n| lens | ${n % 11} | ${(n * 5) % 19} |\n`,
    );
  }
  parts.push(
    `Why it matters: a ${topic} that drifts slowly is easy to miss from one evening to the next, but over a week the ` +
      `readings tell the story. Compare this entry with the one from seven days ago as well, and if the two disagree ` +
      `by more than the usual margin, look at the seals, the mounting and the supply before blaming the instrument. ` +
      `Write down what you checked even when nothing was wrong; an empty line in the log reads as a missed round.\n`,
  );
  parts.push(`That is all for step ${n}; the next one builds on it.`);
  return parts.join("\n");
}

function userText(n: number): string {
  return `How do I look after the ${topics[n % topics.length]} today (question ${n})? Anything to watch for?`;
}

/** The first and last messages carry these, so the bench can tell when they are painted. */
export const firstMarker = "bench-first-message";
export const lastMarker = "bench-last-message";

export type SeededData = { longId: string; longFirstId: string; longLastId: string; startId: string; longBytes: number };

/**
 * `conversations` small ones (two messages each), then the long one, then one more small one the app opens on, so
 * the long one is second in the sidebar and opening it is a click.
 */
export function seedBenchData(store: Store, options: { messages: number; conversations: number; modelFile: string }): SeededData {
  let longBytes = 0;
  // The chat screen needs a model in the list (without one the app shows its welcome); it is never loaded, and the
  // conversations choose none, so nothing measures it.
  store.addModel({ name: "Bench model", path: options.modelFile, sizeBytes: 1, architecture: "llama", parameters: null,
    quantization: null, trainContextLength: null, hasChatTemplate: true });
  const seed = store.db.transaction(() => {
    for (let c = 0; c < options.conversations - 2; c++) {
      const conversation = store.createConversation(null);
      store.renameConversation(conversation.id, `Small chat ${c}`);
      store.addMessage({ conversationId: conversation.id, role: "user", content: userText(c), status: "complete" });
      store.addMessage({ conversationId: conversation.id, role: "assistant", content: assistantText(c), status: "complete" });
    }
    const long = store.createConversation(null);
    store.renameConversation(long.id, "Long chat");
    let firstId = "";
    let lastId = "";
    for (let m = 0; m < options.messages; m++) {
      let content = m % 2 === 0 ? userText(m) : assistantText(m);
      if (m === 0) content = `${firstMarker} ${content}`;
      if (m === options.messages - 1) content = `${lastMarker} ${content}`;
      longBytes += Buffer.byteLength(content);
      const message = store.addMessage({ conversationId: long.id, role: m % 2 === 0 ? "user" : "assistant", content, status: "complete" });
      if (m === 0) firstId = message.id;
      lastId = message.id;
    }
    return { longId: long.id, longFirstId: firstId, longLastId: lastId };
  });
  const seeded = seed();
  // Later than every other one, so the app opens on it rather than on the long one.
  const start = store.createConversation(null);
  store.renameConversation(start.id, "Start here");
  // Inserted within the same milliseconds: order them explicitly (the sidebar sorts by updated_at).
  store.db.prepare("UPDATE conversations SET updated_at = updated_at - 60000 WHERE id NOT IN (?, ?)").run(seeded.longId, start.id);
  store.db.prepare("UPDATE conversations SET updated_at = updated_at + 1000 WHERE id = ?").run(start.id);
  return { ...seeded, startId: start.id, longBytes };
}

/** What the fake engine streams: markdown like an answer, in tokens of about four characters. */
export function streamTokens(count: number): string[] {
  const text = Array.from({ length: Math.ceil(count / 40) }, (_, i) => assistantText(i + 1)).join("\n\n");
  const tokens: string[] = [];
  for (let i = 0; i < text.length && tokens.length < count; i += 4) tokens.push(text.slice(i, i + 4));
  return tokens;
}
