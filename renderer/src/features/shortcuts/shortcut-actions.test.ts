import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Message } from "../../api/contract.js";
import { setConversationMessages } from "../../state/messages-state.js";
import { useHearth } from "../../state/store.js";
import { clearEditRequest, runShortcut } from "./shortcut-actions.js";

const newChat = vi.hoisted(() => vi.fn(async () => null));
const stopGeneration = vi.hoisted(() => vi.fn(async () => {}));
vi.mock("../../state/actions.js", async (importOriginal) => ({ ...(await importOriginal<object>()), newChat, stopGeneration }));

const message = (id: string, role: Message["role"], content: string, status: Message["status"] = "complete"): Message => ({
  id,
  conversationId: "c1",
  role,
  content,
  reasoning: "",
  parts: [{ type: "text", text: content }],
  status,
  modelId: null,
  modelName: null,
  stats: null,
  error: null,
  createdAt: Number(id.slice(1)),
});

function show(messages: Message[], conversationId = "c1"): void {
  useHearth.setState((s) => ({
    view: "chat",
    activeConversationId: conversationId,
    messages: setConversationMessages(s.messages, "c1", messages),
  }));
}

const initial = useHearth.getState();
beforeEach(() => useHearth.setState(initial, true));
afterEach(() => vi.clearAllMocks());

describe("runShortcut", () => {
  it("opens a new chat", () => {
    expect(runShortcut("new-chat")).toBe(true);
    expect(newChat).toHaveBeenCalledOnce();
  });

  it("opens search anywhere, and find only in an open chat (else the browser's find stays)", () => {
    expect(runShortcut("search")).toBe(true);
    expect(useHearth.getState().search.open).toBe(true);
    useHearth.setState({ view: "models", activeConversationId: "c1" });
    expect(runShortcut("find")).toBe(false);
    show([message("m1", "user", "Hi")]);
    expect(runShortcut("find")).toBe(true);
    expect(useHearth.getState().find.open).toBe(true);
  });

  it("stops the open chat's answer only while one streams; otherwise Esc keeps its meaning", () => {
    show([message("m1", "user", "Hi"), message("m2", "assistant", "Hel", "streaming")]);
    expect(runShortcut("stop")).toBe(true);
    expect(stopGeneration).toHaveBeenCalledWith("c1");

    show([message("m1", "user", "Hi"), message("m2", "assistant", "Hello", "complete")]);
    expect(runShortcut("stop")).toBe(false);
    show([message("m1", "user", "Hi"), message("m2", "assistant", "Hel", "streaming")], "c2");
    expect(runShortcut("stop")).toBe(false);
    expect(stopGeneration).toHaveBeenCalledOnce();
  });

  it("Esc closes the shortcuts sheet before it stops anything", () => {
    show([message("m1", "user", "Hi"), message("m2", "assistant", "Hel", "streaming")]);
    expect(runShortcut("shortcuts")).toBe(true);
    expect(useHearth.getState().shortcutsOpen).toBe(true);
    expect(runShortcut("stop")).toBe(true);
    expect(useHearth.getState().shortcutsOpen).toBe(false);
    expect(stopGeneration).not.toHaveBeenCalled();
  });

  it("asks to edit the last user message of the shown branch, not while an answer streams", () => {
    show([message("m1", "user", "First"), message("m2", "assistant", "A"), message("m3", "user", "Second"), message("m4", "assistant", "B")]);
    expect(runShortcut("edit-last-message")).toBe(true);
    expect(useHearth.getState().editRequestId).toBe("m3");
    clearEditRequest();
    expect(useHearth.getState().editRequestId).toBeNull();

    show([message("m1", "user", "First"), message("m2", "assistant", "A", "streaming")]);
    expect(runShortcut("edit-last-message")).toBe(false);
    show([]);
    expect(runShortcut("edit-last-message")).toBe(false);
    expect(useHearth.getState().editRequestId).toBeNull();
  });

  it("copies the last answer with text, and says so", async () => {
    const writeText = vi.fn(async () => {});
    show([message("m1", "user", "Q1"), message("m2", "assistant", "First answer"), message("m3", "user", "Q2"), message("m4", "assistant", "", "error")]);
    expect(runShortcut("copy-last-answer", { writeText })).toBe(true);
    await vi.waitFor(() => expect(writeText).toHaveBeenCalledWith("First answer"));
    await vi.waitFor(() => expect(useHearth.getState().notices.map((n) => n.message)).toContain("Copied the last answer."));
  });

  it("says when there is nothing to copy, or the clipboard refuses", async () => {
    const writeText = vi.fn(async () => {
      throw new Error("denied");
    });
    show([message("m1", "user", "Q1")]);
    runShortcut("copy-last-answer", { writeText });
    await vi.waitFor(() => expect(useHearth.getState().notices.map((n) => n.message)).toContain("There is no answer to copy yet."));
    expect(writeText).not.toHaveBeenCalled();

    show([message("m1", "user", "Q1"), message("m2", "assistant", "An answer")]);
    runShortcut("copy-last-answer", { writeText });
    await vi.waitFor(() =>
      expect(useHearth.getState().notices.at(-1)?.message).toBe("Hearth could not copy to the clipboard here. Use Copy under the answer instead."),
    );
  });
});
