import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { defaultSamplingSettings } from "../../contract/index.js";
import { repoRoot, tempDir } from "../../../test/fixtures/paths.js";
import { Store } from "./store.js";

/** Written by the Store of commit c11081d (schema 3), before conversations had sampling settings. */
const fixture = path.join(repoRoot, "test/fixtures/db/schema-v3.sqlite");
const seeded = { topP: 0.8, topK: 20, minP: 0.05, repeatPenalty: 1.3, seed: 1234 };

describe("a conversation's sampling settings", () => {
  it("start at the defaults with a bounded answer length, and keep one conversation's choice to itself across a reopen", () => {
    const file = path.join(tempDir("hearth-sampling-"), "hearth.db");
    const store = new Store(file);
    const mine = store.createConversation(null);
    const other = store.createConversation(null);
    expect(mine.settings.sampling).toEqual(defaultSamplingSettings);
    // A new chat's answers stop at a length, so a model that never ends cannot run until the context is full.
    expect(mine.settings.maxOutputTokens).toBe(1024);

    store.updateConversationSettings(mine.id, { sampling: seeded });
    store.updateConversationSettings(mine.id, { temperature: 1 });
    store.close();

    const reopened = new Store(file);
    expect(reopened.getConversation(mine.id)?.settings).toMatchObject({ temperature: 1, sampling: seeded });
    expect(reopened.getConversation(other.id)?.settings.sampling).toEqual(defaultSamplingSettings);
    expect(Object.fromEntries(reopened.listConversations().map((c) => [c.id, c.settings.sampling]))).toEqual({
      [mine.id]: seeded,
      [other.id]: defaultSamplingSettings,
    });
    reopened.close();
  });

  it("go with their conversation when it is deleted", () => {
    const store = new Store(":memory:");
    const conversation = store.createConversation(null);
    store.updateConversationSettings(conversation.id, { sampling: seeded });
    store.deleteConversation(conversation.id);
    const left = store.db.prepare("SELECT count(*) AS n FROM settings WHERE key LIKE ?").get(`%${conversation.id}%`) as { n: number };
    expect(left.n).toBe(0);
    store.close();
  });

  it("read as the defaults for conversations stored before they existed, or from a value that does not parse", () => {
    const file = path.join(tempDir("hearth-sampling-"), "hearth.db");
    fs.copyFileSync(fixture, file);
    const store = new Store(file);
    const conversations = store.listConversations();
    expect(conversations.length).toBeGreaterThan(0);
    expect(conversations.map((c) => c.settings.sampling)).toEqual(conversations.map(() => defaultSamplingSettings));
    const first = conversations[0]!;
    store.setSetting(`sampling:${first.id}`, '{"topP": 7');
    expect(store.getConversation(first.id)?.settings.sampling).toEqual(defaultSamplingSettings);
    store.setSetting(`sampling:${first.id}`, JSON.stringify({ ...seeded, topK: -3 }));
    expect(store.getConversation(first.id)?.settings.sampling).toEqual(defaultSamplingSettings);
    store.close();
  });
});
