import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, tempDir } from "../../../test/fixtures/paths.js";
import { Store } from "./store.js";

/** Written by the Store of commit c11081d (schema 3), before conversations had the overflow setting. */
const fixture = path.join(repoRoot, "test/fixtures/db/schema-v3.sqlite");

describe("the conversation's setting for a full context", () => {
  it("drops the oldest messages by default, and keeps the choice of one conversation to itself", () => {
    const store = new Store(":memory:");
    const asking = store.createConversation(null);
    const other = store.createConversation(null);
    expect(asking.settings.contextOverflow).toBe("drop-oldest");

    store.updateConversationSettings(asking.id, { contextOverflow: "stop-and-ask" });
    expect(store.getConversation(asking.id)?.settings.contextOverflow).toBe("stop-and-ask");
    expect(store.getConversation(other.id)?.settings.contextOverflow).toBe("drop-oldest");
    expect(Object.fromEntries(store.listConversations().map((c) => [c.id, c.settings.contextOverflow]))).toEqual({
      [asking.id]: "stop-and-ask",
      [other.id]: "drop-oldest",
    });

    // Changing another setting leaves it as it is.
    store.updateConversationSettings(asking.id, { temperature: 0.2 });
    expect(store.getConversation(asking.id)?.settings).toMatchObject({ temperature: 0.2, contextOverflow: "stop-and-ask" });

    store.updateConversationSettings(asking.id, { contextOverflow: "drop-oldest" });
    expect(store.getConversation(asking.id)?.settings.contextOverflow).toBe("drop-oldest");
    store.close();
  });

  it("goes with its conversation when that is deleted", () => {
    const store = new Store(":memory:");
    const conversation = store.createConversation(null);
    store.updateConversationSettings(conversation.id, { contextOverflow: "stop-and-ask" });
    store.deleteConversation(conversation.id);
    const left = store.db.prepare("SELECT count(*) AS n FROM settings WHERE key LIKE ?").get(`%${conversation.id}%`) as { n: number };
    expect(left.n).toBe(0);
    store.close();
  });

  it("reads conversations stored before the setting existed as dropping the oldest, and lets them change it", () => {
    const file = path.join(tempDir("hearth-overflow-"), "hearth.db");
    fs.copyFileSync(fixture, file);
    const store = new Store(file);
    const conversations = store.listConversations();
    expect(conversations.length).toBeGreaterThan(0);
    expect(conversations.map((c) => c.settings.contextOverflow)).toEqual(conversations.map(() => "drop-oldest"));
    const first = conversations[0]!;
    store.updateConversationSettings(first.id, { contextOverflow: "stop-and-ask" });
    expect(store.getConversation(first.id)?.settings).toEqual({ ...first.settings, contextOverflow: "stop-and-ask" });
    store.close();
  });
});
