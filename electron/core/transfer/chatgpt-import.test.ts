import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { conversationExportSchema, type ConversationExport } from "../../contract/index.js";
import { activePath } from "./conversation-markdown.js";
import { looksLikeChatGpt, readChatGptFile } from "./chatgpt-import.js";

const fixture = JSON.parse(
  fs.readFileSync(new URL("../../../test/fixtures/chatgpt/conversations.json", import.meta.url), "utf8"),
) as unknown[];
const NOW = Date.UTC(2026, 11, 3);

const branchText = (file: ConversationExport) => activePath(file.messages, file.activeLeafId).map((m) => `${m.role}: ${m.content}`);

describe("ChatGPT conversations.json", () => {
  it("is told apart from a Hearth file", () => {
    expect(looksLikeChatGpt(fixture)).toBe(true);
    expect(looksLikeChatGpt(fixture[0])).toBe(true);
    expect(looksLikeChatGpt({ format: "hearth.conversation" })).toBe(false);
    expect(looksLikeChatGpt([])).toBe(false);
  });

  it("maps each conversation with text onto a valid Hearth file and skips the empty one", () => {
    const { files, skipped } = readChatGptFile(fixture, NOW);
    expect(skipped).toBe(1);
    expect(files.map((f) => f.conversation.title)).toEqual(["Sourdough starter schedule", "Regex for UK postcodes"]);
    for (const file of files) expect(conversationExportSchema.safeParse(file).success).toBe(true);
    expect(files[0]!.conversation.createdAt).toBe(1717059600123);
  });

  it("keeps the tree: edited questions and regenerated answers are versions, current_node is the branch shown", () => {
    const [sourdough, regex] = readChatGptFile(fixture, NOW).files;
    // The hidden system message and the tool output are left out; the code call and the answer after it join.
    expect(sourdough!.messages.map((m) => m.id)).toEqual(["aaa1-u1", "aaa1-a1", "aaa1-u2", "aaa1-a2", "aaa1-u2b", "aaa1-code"]);
    const byId = new Map(sourdough!.messages.map((m) => [m.id, m]));
    expect(byId.get("aaa1-u1")!.parentId).toBeNull();
    expect(byId.get("aaa1-u2")!.parentId).toBe("aaa1-a1");
    expect(byId.get("aaa1-u2b")!.parentId).toBe("aaa1-a1");
    expect(sourdough!.activeLeafId).toBe("aaa1-code");
    expect(branchText(sourdough!)).toEqual([
      "user: How often should I feed a rye sourdough starter kept at 24 °C?",
      expect.stringContaining("assistant: At 24 °C a rye starter peaks"),
      // The image was not in the export: its text part alone comes along.
      "user: Here is my starter after 6 hours. How much should I scale it up for two 900 g loaves?",
      "assistant: ```\nloaves = 2 * 900\nlevain = loaves * 0.2\nprint(levain)\n```\n\nYou need about **360 g of levain** for two 900 g loaves.",
    ]);
    expect(byId.get("aaa1-a1")!.answeredBy).toMatchObject({ kind: "cloud", provider: "ChatGPT", model: "gpt-4o" });
    expect(byId.get("aaa1-a1")!.createdAt).toBe(1717059610400);

    expect(regex!.messages.map((m) => m.parentId)).toEqual([null, "ccc3-u1", "ccc3-u1"]);
    expect(regex!.activeLeafId).toBe("ccc3-a1");
    expect(regex!.messages[1]!.modelName).toBe("gpt-4o-mini");
  });

  it("does not join an answer to one that has other versions below it", () => {
    const file = readChatGptFile(
      [
        {
          title: "t",
          mapping: {
            u: { id: "u", parent: null, children: ["a"], message: msg("user", "q") },
            a: { id: "a", parent: "u", children: ["t1", "b2"], message: msg("assistant", "first") },
            t1: { id: "t1", parent: "a", children: ["b1"], message: msg("tool", "out") },
            b1: { id: "b1", parent: "t1", children: [], message: msg("assistant", "after tool") },
            b2: { id: "b2", parent: "a", children: [], message: msg("assistant", "other") },
          },
          current_node: "b1",
        },
      ],
      NOW,
    ).files[0]!;
    expect(file.messages.map((m) => [m.id, m.parentId, m.content])).toEqual([
      ["u", null, "q"],
      ["a", "u", "first"],
      ["b1", "a", "after tool"],
      ["b2", "a", "other"],
    ]);
    expect(file.activeLeafId).toBe("b1");
  });

  it("survives children that loop back and ids that point nowhere", () => {
    const { files } = readChatGptFile(
      {
        title: "loop",
        mapping: {
          u: { id: "u", parent: null, children: ["a", "ghost"], message: msg("user", "q") },
          a: { id: "a", parent: "u", children: ["u"], message: msg("assistant", "r") },
        },
        current_node: "ghost",
      },
      NOW,
    );
    expect(files[0]!.messages.map((m) => m.id)).toEqual(["u", "a"]);
    expect(files[0]!.activeLeafId).toBeNull();
  });

  it("refuses a damaged export, saying where", () => {
    expect(() => readChatGptFile([{ title: "x", mapping: { a: { id: "a", message: { author: {}, content: { content_type: "text" } } } } }], NOW)).toThrow(
      /ChatGPT export is damaged: \[0\]\.mapping\.a\.message\.author\.role/,
    );
  });
});

function msg(role: string, text: string) {
  return { author: { role }, content: { content_type: "text", parts: [text] }, create_time: 1717000000, metadata: { model_slug: "gpt-4o" } };
}
