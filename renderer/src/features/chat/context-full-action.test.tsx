import { afterEach, describe, expect, it, vi } from "vitest";
import type { Message } from "../../api/contract.js";
import { returnedElement } from "../../test/returned-element.js";
import { testMessage } from "../../test/test-message.js";
import { ContextFullAction, needsDropping } from "./ContextFullAction.js";

const regenerateMessage = vi.hoisted(() => vi.fn(async () => ({ assistantMessageId: "a2", proposal: null })));
vi.mock("../../api/get-api.js", () => ({ getApi: () => ({ regenerateMessage }) }));

function answer(overrides: Partial<Message> = {}): Message {
  return testMessage({ id: "a1", role: "assistant", status: "error", ...overrides });
}

const asked = answer({
  error: {
    code: "CONTEXT_FULL",
    message: "This conversation no longer fits in the model's context (785 tokens, 224 available). Drop the first 18 messages from the model's memory to go on, or start a new conversation.",
    retryable: false,
    reason: "needs-dropping",
  },
});

/** The button ContextFullAction returns, or null (no DOM needed). */
function button(props: Parameters<typeof ContextFullAction>[0]) {
  return returnedElement<{ disabled: boolean; onClick: () => void; children: string }>(ContextFullAction(props));
}

afterEach(() => regenerateMessage.mockClear());

describe("Drop the oldest messages and answer", () => {
  it("is offered on an answer that stopped to ask, and answers again dropping the oldest messages this once", async () => {
    const found = button({ message: asked, busy: false });
    expect(found?.props.children).toBe("Drop the oldest messages and answer");
    expect(found?.props.disabled).toBe(false);
    found!.props.onClick();
    await vi.waitFor(() => expect(regenerateMessage).toHaveBeenCalledTimes(1));
    expect(regenerateMessage).toHaveBeenCalledWith({ conversationId: "c1", messageId: "a1", contextOverflow: "drop-oldest" });
  });

  it("waits while the conversation is answering", () => {
    expect(button({ message: asked, busy: true })?.props.disabled).toBe(true);
  });

  it("is not offered where dropping cannot help (the latest message alone is too long) nor on other failures", () => {
    const tooLong = answer({ error: { code: "CONTEXT_FULL", message: "Your message, with the system prompt, needs 321 tokens…", retryable: false, reason: "latest-turn-too-long" } });
    const otherError = answer({ error: { code: "GENERATION_FAILED", message: "The model failed.", retryable: true } });
    // A CONTEXT_FULL stored before errors carried a reason: the plain error, as before.
    const noReason = answer({ error: { code: "CONTEXT_FULL", message: "This conversation does not fit.", retryable: false } });
    for (const message of [tooLong, otherError, noReason, answer({ status: "complete", content: "fine" })]) {
      expect(needsDropping(message)).toBe(false);
      expect(button({ message, busy: false })).toBeNull();
    }
    expect(needsDropping(asked)).toBe(true);
  });
});
