import { describe, expect, it } from "vitest";
import { methodNames } from "../../contract/index.js";
import { appHandlers } from "./app-handlers.js";
import { auditHandlers } from "./audit-handlers.js";
import { chatHandlers } from "./chat-handlers.js";
import { conversationHandlers } from "./conversation-handlers.js";
import { databaseHandlers } from "./database-handlers.js";
import { downloadHandlers } from "./download-handlers.js";
import { modelHandlers } from "./model-handlers.js";
import { providerHandlers } from "./provider-handlers.js";
import { settingsHandlers } from "./settings-handlers.js";

// Making a domain's handlers touches none of its services, so empty stand-ins are enough to read the keys.
const none = {} as never;
const domains: Record<string, object> = {
  app: appHandlers(none),
  audit: auditHandlers(none),
  chat: chatHandlers(none),
  conversation: conversationHandlers(none),
  database: databaseHandlers(none, none, () => {}),
  download: downloadHandlers(none),
  model: modelHandlers(none),
  provider: providerHandlers(none),
  settings: settingsHandlers(none),
};

describe("handlers per domain", () => {
  // That every method has a handler at all is test/contract.test.ts's check, on the core that combines these.
  it("no method is in two domains (core.ts spreads them, so the second would silently win)", () => {
    const owners = new Map<string, string[]>();
    for (const [domain, handlers] of Object.entries(domains)) {
      for (const method of Object.keys(handlers)) owners.set(method, [...(owners.get(method) ?? []), domain]);
    }
    const shared = [...owners].filter(([, list]) => list.length > 1);
    expect(shared).toEqual([]);
    for (const method of owners.keys()) expect(methodNames, method).toContain(method);
  });
});
