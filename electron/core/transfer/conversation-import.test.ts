import { describe, expect, it } from "vitest";
import {
  AppError,
  defaultConversationSettings,
  MAX_CONVERSATION_FILE_CHARS,
  type ConversationExport,
  type ExportedMessage,
} from "../../contract/index.js";
import { jsonNesting, orderTree, parseImportText, planImport, readConversationFile } from "./conversation-import.js";

const message = (id: string, parentId: string | null, extra: Partial<ExportedMessage> = {}): ExportedMessage => ({
  id,
  parentId,
  role: "user",
  content: `text of ${id}`,
  reasoning: "",
  status: "complete",
  modelId: null,
  modelName: null,
  stats: null,
  error: null,
  answeredBy: null,
  createdAt: 1_700_000_000_000,
  ...extra,
});

const file = (messages: ExportedMessage[], activeLeafId: string | null = messages.at(-1)?.id ?? null): ConversationExport => ({
  format: "hearth.conversation",
  version: 1,
  exportedAt: 1_700_000_000_000,
  appVersion: "1.0.0",
  conversation: { id: "c1", title: "A chat", createdAt: 1, updatedAt: 2, settings: { ...defaultConversationSettings, modelId: "m1" } },
  messages,
  activeLeafId,
});

/** The AppError a call throws, for asserting on its code and message together. */
function thrown(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

const context = (overrides: Partial<Parameters<typeof planImport>[1]> = {}) => {
  let n = 0;
  return { newId: () => `new-${++n}`, modelExists: () => true, providerExists: () => true, privacyMode: "local" as const, ...overrides };
};

describe("reading an import file", () => {
  it("counts nesting without parsing, skipping brackets inside strings", () => {
    expect(jsonNesting('{"a":[1,{"b":"[[[[{{{"}]}')).toBe(3);
    expect(jsonNesting('{"a":"\\"[["}')).toBe(1);
    expect(jsonNesting("[".repeat(100), 10)).toBe(11);
  });

  it("refuses oversized, deeply nested and malformed text with INVALID_INPUT naming the problem", () => {
    expect(thrown(() => parseImportText(" ".repeat(MAX_CONVERSATION_FILE_CHARS + 1)))).toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/too large to import/) });
    expect(thrown(() => parseImportText(`${"[".repeat(100_000)}${"]".repeat(100_000)}`)).message).toMatch(/nests deeper than 32/);
    expect(thrown(() => parseImportText('{"format": "hearth.conversation",'))).toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/not valid JSON/) });
    // The parser's own message quotes the text; the user sees none of it (the file may be anything on the disk).
    const quoted = thrown(() => parseImportText('{"token": hunter2-secret}'));
    expect(quoted.message).toMatch(/^The file is not valid JSON/);
    expect(quoted.message).not.toContain("hunter2");
  });

  it("refuses another format and names an unknown version", () => {
    expect(thrown(() => readConversationFile({ hello: 1 })).message).toMatch(/neither a Hearth conversation export/);
    expect(thrown(() => readConversationFile([1, 2])).code).toBe("INVALID_INPUT");
    expect(thrown(() => readConversationFile({ ...file([]), version: 2 })).message).toMatch(/version 2; this Hearth reads version 1/);
  });

  it("names the first damaged field by its path", () => {
    const bad = { ...file([message("a", null)]), messages: [{ ...message("a", null), role: "system" }] };
    expect(thrown(() => readConversationFile(bad)).message).toMatch(/^The conversation file is damaged: messages\[0\]\.role: /);
    expect(readConversationFile(JSON.parse(JSON.stringify(file([message("a", null)]))))).toEqual(file([message("a", null)]));
  });
});

describe("the tree of an import", () => {
  it("orders parents first, keeping versions in the file's order", () => {
    const inOrder = [message("a", null), message("b", "a"), message("b2", "a"), message("c", "b")];
    expect(orderTree(inOrder)).toEqual(inOrder);
    const shuffled = orderTree([message("c", "b"), message("a", null), message("b2", "a"), message("b", "a")]);
    expect(shuffled.map((m) => m.id)).toEqual(["a", "b2", "b", "c"]);
  });

  it("orders a 20,000-message chain without deep recursion", () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => message(`m${i}`, i === 0 ? null : `m${i - 1}`)).reverse();
    expect(orderTree(chain).map((m) => m.id).slice(0, 3)).toEqual(["m0", "m1", "m2"]);
  });

  it("refuses repeated ids, missing parents and loops of parents", () => {
    expect(thrown(() => orderTree([message("a", null), message("a", null)])).message).toMatch(/"a" appears twice/);
    expect(thrown(() => orderTree([message("a", null), message("b", "zz")])).message).toMatch(/"b" follows "zz", which is not in the file/);
    expect(thrown(() => orderTree([message("a", null), message("b", "c"), message("c", "b")])).message).toMatch(/follows itself through its parents/);
    expect(thrown(() => orderTree([message("a", "a")])).code).toBe("INVALID_INPUT");
  });

  it("gives everything new ids, keeps the tree and branch, clears what this install lacks", () => {
    const source = file(
      [
        message("u", null),
        message("a1", "u", { role: "assistant", modelId: "gone", modelName: "Gone 1B" }),
        message("a2", "u", {
          role: "assistant",
          modelId: "m1",
          status: "streaming",
          stats: { timeToFirstTokenMs: 5, tokensPerSecond: 10, outputTokens: 3, evaluatedInputTokens: 4, context: { droppedCount: 1, firstKeptMessageId: "u", usedTokens: 5, budgetTokens: 9 } },
        }),
      ],
      "a1",
    );
    source.conversation.settings = { ...source.conversation.settings, modelId: "gone", cloudProviderId: "p-gone", privacyMode: "auto", contextOverflow: "stop-and-ask" };
    const plan = planImport(source, context({ modelExists: (id) => id === "m1", providerExists: () => false }));
    expect(plan.messages.map((m) => [m.id, m.parentId])).toEqual([["new-1", null], ["new-2", "new-1"], ["new-3", "new-1"]]);
    expect(plan.id).toBe("new-4");
    expect(plan.activeLeafId).toBe("new-2");
    expect(plan.messages[1]).toMatchObject({ modelId: null, modelName: "Gone 1B" });
    expect(plan.messages[2]).toMatchObject({ modelId: "m1", status: "interrupted", stats: { context: { firstKeptMessageId: "new-1" } } });
    expect(plan.settings).toMatchObject({ modelId: null, cloudProviderId: null, privacyMode: "local" });
    expect(plan.stopAndAsk).toBe(true);
  });

  it("refuses a shown branch that ends outside the file", () => {
    expect(thrown(() => planImport(file([message("a", null)], "nope"), context())).message).toMatch(/ends at "nope"/);
  });
});
