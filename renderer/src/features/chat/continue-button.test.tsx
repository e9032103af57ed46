import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Message } from "../../api/contract.js";
import { returnedElement } from "../../test/returned-element.js";
import { restoreStore, setStoreMessages } from "../../test/store-for-render.js";
import { testMessage } from "../../test/test-message.js";
import { ContinueButton } from "./ContinueButton.js";
import { listRows } from "../../test/list-rows.js";

const continueAnswer = vi.hoisted(() => vi.fn(async () => {}));
vi.mock("../../state/version-actions.js", async (importOriginal) => ({ ...(await importOriginal<object>()), continueAnswer }));

const stats = { timeToFirstTokenMs: 10, tokensPerSecond: 5, outputTokens: 64, evaluatedInputTokens: 40 };

function message(id: string, role: Message["role"], overrides: Partial<Message> = {}): Message {
  return testMessage({ id, role, content: `text of ${id}`, stats: role === "assistant" ? stats : null, ...overrides });
}

const stopped = message("a1", "assistant", { status: "stopped" });
const atLimit = message("a1", "assistant", { stats: { ...stats, finishReason: "length" } });
const finished = message("a1", "assistant", { stats: { ...stats, finishReason: "stop" } });

/** The button ContinueButton returns, or null (no DOM needed). */
function button(props: Parameters<typeof ContinueButton>[0]) {
  return returnedElement<{ disabled: boolean; onClick: () => void }>(ContinueButton(props));
}

beforeEach(() => continueAnswer.mockClear());

describe("Continue under a cut-off answer", () => {
  it("is offered on the last answer when it was stopped, interrupted, or cut at the output limit, and continues that answer", () => {
    for (const cut of [stopped, atLimit, message("a1", "assistant", { status: "interrupted" })]) {
      const found = button({ message: cut, isLast: true, busy: false });
      expect(found?.props.disabled).toBe(false);
      found!.props.onClick();
    }
    expect(continueAnswer.mock.calls).toEqual([
      ["c1", "a1"],
      ["c1", "a1"],
      ["c1", "a1"],
    ]);
  });

  it("is not offered on an answer that ended on its own, one still streaming, a cloud answer, or one above the last message", () => {
    expect(button({ message: finished, isLast: true, busy: false })).toBeNull();
    expect(button({ message: message("a1", "assistant", { status: "streaming" }), isLast: true, busy: true })).toBeNull();
    const cloud = { kind: "cloud" as const, provider: "OpenAI", model: "gpt", reason: "You asked", failover: false };
    expect(button({ message: { ...stopped, answeredBy: cloud }, isLast: true, busy: false })).toBeNull();
    expect(button({ message: stopped, isLast: false, busy: false })).toBeNull();
  });

  it("is disabled while the conversation is answering", () => {
    expect(button({ message: atLimit, isLast: true, busy: true })?.props.disabled).toBe(true);
  });
});

describe("Continue in the conversation", () => {
  function show(messages: Message[]): string {
    setStoreMessages(messages);
    return renderToStaticMarkup(<>{listRows("c1")}</>);
  }

  afterEach(restoreStore);

  it("shows once, under the cut-off answer that ends the branch, and not under an earlier cut-off answer", () => {
    const earlier = message("a0", "assistant", { status: "stopped" });
    const html = show([message("u0", "user"), earlier, message("u1", "user"), message("a1", "assistant", { status: "stopped" })]);
    expect(html.match(/data-testid="continue-answer"/g)).toHaveLength(1);
    expect(html.indexOf('data-testid="continue-answer"')).toBeGreaterThan(html.indexOf("text of a1"));
    expect(show([message("u0", "user"), earlier, message("u1", "user"), message("a1", "assistant")])).not.toContain("continue-answer");
  });
});
