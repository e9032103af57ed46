import { beforeEach, describe, expect, it, vi } from "vitest";
import { AppError, type ImportProgress } from "../api/contract.js";

/** The core behind a fake API: answers set per test, calls recorded, and `imports` events sent on demand. */
const fake = vi.hoisted(() => {
  const answers: Record<string, (input: unknown) => unknown> = {};
  const calls: Array<{ method: string; input: unknown }> = [];
  const listeners = new Set<(event: unknown) => void>();
  const subscribe = { imports: (listener: (event: unknown) => void) => (listeners.add(listener), () => listeners.delete(listener)) };
  const api = new Proxy({} as Record<string, unknown>, {
    get: (_target, name: string) =>
      name === "subscribe"
        ? subscribe
        : async (input: unknown) => {
            calls.push({ method: name, input });
            return (answers[name] ?? (() => ({})))(input);
          },
  });
  return { api, answers, calls, listeners };
});
vi.mock("../api/get-api.js", () => ({
  getApi: () => fake.api,
  getConnection: () => ({ status: () => "connected", subscribe: () => () => {} }),
}));
const opened = vi.hoisted(() => [] as string[]);
vi.mock("./actions.js", () => ({ openConversation: async (id: string) => void opened.push(id) }));

const { fileNameOf, importConversationPath, importProgressText, pathImportSummary, pickAndImportConversations } = await import("./path-import-actions.js");
const { useHearth } = await import("./store.js");

const result = (over: object = {}) => ({ imported: 2950, messageCount: 27_000, skipped: 0, failed: 0, failures: [], firstConversationId: "c1", stoppedEarly: null, ...over });
const notices = () => useHearth.getState().notices.map((n) => `${n.kind}: ${n.message}`);

beforeEach(() => {
  fake.calls.length = 0;
  opened.length = 0;
  for (const key of Object.keys(fake.answers)) delete fake.answers[key];
  useHearth.setState({ notices: [] });
});

describe("importing a conversations file by its path", () => {
  it("says what was added, what was skipped, what could not be read and where the file broke off", () => {
    expect(pathImportSummary(result(), "conversations.json")).toEqual({ text: "Imported 2,950 conversations (27,000 messages) from conversations.json.", problem: false });
    const partial = pathImportSummary(
      result({ imported: 1, messageCount: 2, skipped: 3, failed: 2, failures: [{ index: 4, title: "Broken", reason: "It does not match ChatGPT's format: mapping: expected record." }], stoppedEarly: "The file ends too early after 7 conversations: it was cut short." }),
      "c.json",
    );
    expect(partial.problem).toBe(true);
    expect(partial.text).toBe(
      "Imported 1 conversation (2 messages) from c.json. 3 empty conversations skipped. 2 conversations could not be read (first, “Broken”: It does not match ChatGPT's format: mapping: expected record.) The import stopped early: The file ends too early after 7 conversations: it was cut short. The conversations before that point were imported.",
    );
    expect(fileNameOf("C:\\Users\\me\\conversations.json")).toBe("conversations.json");
    expect(fileNameOf("/home/me/export/conversations.json")).toBe("conversations.json");
  });

  it("passes on progress while the core reads, opens the first conversation, and stops listening after", async () => {
    const seen: ImportProgress[] = [];
    fake.answers.importConversationPath = () => {
      for (const listener of fake.listeners) listener({ type: "import-progress", progress: { bytesRead: 5, totalBytes: 10, imported: 1, skipped: 0, failed: 0 } });
      return result();
    };
    const done = await importConversationPath("/data/conversations.json", (p) => seen.push(p));
    expect(done?.imported).toBe(2950);
    expect(fake.calls).toEqual([{ method: "importConversationPath", input: { path: "/data/conversations.json" } }]);
    expect(seen).toEqual([{ bytesRead: 5, totalBytes: 10, imported: 1, skipped: 0, failed: 0 }]);
    expect(fake.listeners.size).toBe(0);
    expect(opened).toEqual(["c1"]);
    expect(notices()).toEqual(["info: Imported 2,950 conversations (27,000 messages) from conversations.json."]);
    expect(importProgressText(seen[0]!)).toMatch(/^Reading 5 B of 10 B · 1 conversation imported$/);
  });

  it("keeps a partial import's summary as a notice that waits, and a refused file's error", async () => {
    fake.answers.importConversationPath = () => result({ failed: 1, failures: [{ index: 0, title: null, reason: "Bad." }] });
    await importConversationPath("/x.json", () => {});
    expect(notices()[0]).toMatch(/^error: Imported 2,950 conversations .* 1 conversation could not be read \(first, number 1: Bad\.\)$/);
    fake.answers.importConversationPath = () => {
      throw new AppError("NOT_FOUND", "There is no file at that path.");
    };
    expect(await importConversationPath("/missing.json", () => {})).toBeNull();
    expect(notices().at(-1)).toBe("error: There is no file at that path.");
    expect(fake.listeners.size).toBe(0);
  });

  it("in the desktop app imports what the open-file dialog chose, and nothing when it was cancelled", async () => {
    fake.answers.pickImportFile = () => ({ path: null });
    expect(await pickAndImportConversations(() => {})).toBeNull();
    expect(fake.calls.map((c) => c.method)).toEqual(["pickImportFile"]);
    fake.answers.pickImportFile = () => ({ path: "/picked/conversations.json" });
    fake.answers.importConversationPath = () => result();
    await pickAndImportConversations(() => {});
    expect(fake.calls.at(-1)).toEqual({ method: "importConversationPath", input: { path: "/picked/conversations.json" } });
  });
});
