import { afterEach, describe, expect, it, vi } from "vitest";
import { returnedElement } from "../../test/returned-element.js";
import { testMessage } from "../../test/test-message.js";
import { AnswerButton } from "./AnswerButton.js";

const regenerate = vi.hoisted(() => vi.fn(async () => {}));
vi.mock("../../state/actions.js", async (importOriginal) => ({ ...(await importOriginal<object>()), regenerate }));

const user = testMessage({ id: "u1", role: "user", content: "Hello" });

/** The button AnswerButton returns, or null (no DOM needed). */
function button(props: Parameters<typeof AnswerButton>[0]) {
  return returnedElement<{ disabled: boolean; onClick: () => void }>(AnswerButton(props));
}

afterEach(() => regenerate.mockClear());

describe("Answer under the user's last message", () => {
  it("asks for an answer to that message when it is the last one and the conversation is idle", () => {
    const found = button({ message: user, isLast: true, busy: false, waiting: false });
    expect(found?.props.disabled).toBe(false);
    found!.props.onClick();
    expect(regenerate).toHaveBeenCalledWith("c1", "u1");
    expect(button({ message: user, isLast: true, busy: true, waiting: false })?.props.disabled).toBe(true);
  });

  it("is not offered above other messages, nor while a proposal about it waits for the user", () => {
    expect(button({ message: user, isLast: false, busy: false, waiting: false })).toBeNull();
    expect(button({ message: user, isLast: true, busy: false, waiting: true })).toBeNull();
  });
});
