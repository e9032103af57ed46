import { beforeEach, describe, expect, it, vi } from "vitest";
import { AppError, MAX_CONVERSATION_FILE_CHARS, type Conversation } from "../api/contract.js";

/** The core behind a fake API: each method answers what a test sets, and every call is recorded. */
const fake = vi.hoisted(() => {
  const answers: Record<string, (input: unknown) => unknown> = {};
  const calls: Array<{ method: string; input: unknown }> = [];
  const api = new Proxy({} as Record<string, unknown>, {
    get: (_target, name: string) => async (input: unknown) => {
      calls.push({ method: name, input });
      return (answers[name] ?? (() => ({})))(input);
    },
  });
  return { api, answers, calls, downloads: [] as unknown[][] };
});
vi.mock("../api/get-api.js", () => ({
  getApi: () => fake.api,
  getConnection: () => ({ status: () => "connected", subscribe: () => () => {} }),
}));
vi.mock("../ui/download-file.js", () => ({ downloadTextFile: (...args: unknown[]) => fake.downloads.push(args) }));

const { archiveCountsText, exportConversation, importConversationFile, importSummary, restoreDataArchive } = await import("./transfer-actions.js");
const { useHearth } = await import("./store.js");

const conversation = (id: string, title: string) =>
  ({ id, title, createdAt: 1, updatedAt: 2, settings: { modelId: null } }) as unknown as Conversation;
const file = (name: string, text: string, size = text.length) => ({ name, size, text: vi.fn(async () => text) });
const notices = () => useHearth.getState().notices.map((n) => `${n.kind}: ${n.message}`);

beforeEach(() => {
  fake.calls.length = 0;
  fake.downloads.length = 0;
  for (const key of Object.keys(fake.answers)) delete fake.answers[key];
  useHearth.setState({ notices: [], conversations: {}, activeConversationId: null });
});

describe("export", () => {
  it("asks the core for the file and hands it to the download", async () => {
    fake.answers.exportConversation = () => ({ fileName: "trip.md", mimeType: "text/markdown", content: "# Trip\n" });
    await exportConversation("c1", "markdown");
    expect(fake.calls).toEqual([{ method: "exportConversation", input: { conversationId: "c1", format: "markdown" } }]);
    expect(fake.downloads).toEqual([["trip.md", "text/markdown", "# Trip\n"]]);
  });

  it("shows the core's refusal and saves nothing", async () => {
    fake.answers.exportConversation = () => {
      throw new AppError("NOT_FOUND", "That conversation no longer exists.");
    };
    await exportConversation("gone", "json");
    expect(fake.downloads).toEqual([]);
    expect(notices()).toEqual(["error: That conversation no longer exists."]);
  });
});

describe("import", () => {
  it("sends the file's text, adds and opens what was imported, and says what was added", async () => {
    const imported = [conversation("n1", "Trip to Lisbon"), conversation("n2", "Regex")];
    fake.answers.importConversation = () => ({ conversations: imported, messageCount: 9, skipped: 1 });
    fake.answers.getConversation = () => ({ conversation: imported[0], messages: [], lastSeq: 0 });
    const result = await importConversationFile(file("conversations.json", "[1]"));
    expect(result?.conversations).toHaveLength(2);
    expect(fake.calls[0]).toEqual({ method: "importConversation", input: { json: "[1]" } });
    const state = useHearth.getState();
    expect(Object.keys(state.conversations).sort()).toEqual(["n1", "n2"]);
    expect(state.activeConversationId).toBe("n1");
    expect(notices()).toEqual(["info: Imported 2 conversations (9 messages) from conversations.json; 1 empty conversation was skipped."]);
  });

  it("shows a bad file's error and adds nothing", async () => {
    fake.answers.importConversation = () => {
      throw new AppError("INVALID_INPUT", "The conversation file is damaged: messages[0].role: Invalid option.");
    };
    expect(await importConversationFile(file("x.json", "{}"))).toBeNull();
    expect(useHearth.getState().conversations).toEqual({});
    expect(notices()).toEqual(["error: The conversation file is damaged: messages[0].role: Invalid option."]);
  });

  it("refuses a file too large before reading or sending it", async () => {
    const huge = file("huge.json", "", MAX_CONVERSATION_FILE_CHARS * 3 + 1);
    expect(await importConversationFile(huge)).toBeNull();
    expect(huge.text).not.toHaveBeenCalled();
    expect(fake.calls).toEqual([]);
    expect(notices()).toEqual(["error: huge.json is too large to import (the limit is 6 M characters)."]);
  });

  it("summarises one conversation by its title", () => {
    expect(importSummary({ conversations: [conversation("a", "Trip")], messageCount: 1, skipped: 0 }, "trip.hearth.json")).toBe(
      "Imported “Trip” (1 message) from trip.hearth.json.",
    );
  });
});

describe("Export all data and restore", () => {
  const counts = { conversations: 2, messages: 14, settings: 6, providers: 1, auditEntries: 1 };

  it("says what an archive holds", () => {
    expect(archiveCountsText(counts)).toBe("2 conversations (14 messages), 1 provider, 1 audit entry");
    expect(archiveCountsText({ ...counts, conversations: 1, messages: 1, providers: 0, auditEntries: 3 })).toBe("1 conversation (1 message), 0 providers, 3 audit entries");
  });

  it("restores the archive at a path and says keys must be entered again", async () => {
    fake.answers.importAllData = () => counts;
    expect(await restoreDataArchive("/tmp/a.hearth-archive.json")).toEqual(counts);
    expect(fake.calls).toEqual([{ method: "importAllData", input: { path: "/tmp/a.hearth-archive.json" } }]);
    expect(notices()[0]).toMatch(/^info: Restored 2 conversations \(14 messages\), 1 provider, 1 audit entry\. Keys and tokens are never in an archive/);
  });

  it("shows why a restore was refused", async () => {
    fake.answers.importAllData = () => {
      throw new AppError("DATABASE_STATE", "An archive is restored into a new data folder; this one already has conversations, providers or an audit log.");
    };
    expect(await restoreDataArchive("/tmp/a.json")).toBeNull();
    expect(notices()).toEqual(["error: An archive is restored into a new data folder; this one already has conversations, providers or an audit log."]);
  });
});
