import { isValidElement, type ReactElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ChatEvent } from "../../api/contract.js";
import { applyChatEvent } from "../../state/apply-chat-event.js";
import { emptyMessagesState, setConversationMessages } from "../../state/messages-state.js";
import { testMessage } from "../../test/test-message.js";
import { VersionSwitcher } from "./VersionSwitcher.js";

const selectVersion = vi.hoisted(() => vi.fn(async () => {}));
vi.mock("../../state/version-actions.js", () => ({ selectVersion }));

/** The switcher's buttons, by test id, from the element tree it returns (no DOM needed). */
function buttons(node: ReactNode): Record<string, ReactElement<{ onClick: () => void; disabled: boolean }>> {
  const found: Record<string, ReactElement<{ onClick: () => void; disabled: boolean }>> = {};
  const walk = (n: ReactNode) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!isValidElement<{ children?: ReactNode; "data-testid"?: string }>(n)) return;
    if (n.type === "button" && n.props["data-testid"]) found[n.props["data-testid"]] = n as never;
    walk(n.props.children);
  };
  walk(node);
  return found;
}

beforeEach(() => selectVersion.mockClear());

describe("the version switcher", () => {
  const middle = testMessage({ id: "a2", role: "assistant", versionIds: ["a1", "a2", "a3"] });

  it("shows ‹ 2/3 › and flips to the previous and next versions", () => {
    const html = renderToStaticMarkup(<VersionSwitcher message={middle} disabled={false} />);
    expect(html).toContain('data-testid="version-label">2/3</span>');
    const { "version-previous": previous, "version-next": next } = buttons(VersionSwitcher({ message: middle, disabled: false }));
    expect(previous?.props.disabled).toBe(false);
    previous!.props.onClick();
    next!.props.onClick();
    expect(selectVersion.mock.calls).toEqual([
      ["c1", "a1"],
      ["c1", "a3"],
    ]);
  });

  it("cannot go past the first or the last version, nor flip while the conversation answers", () => {
    const first = buttons(VersionSwitcher({ message: { ...middle, id: "a1" }, disabled: false }));
    expect(first["version-previous"]?.props.disabled).toBe(true);
    expect(first["version-next"]?.props.disabled).toBe(false);
    const last = buttons(VersionSwitcher({ message: { ...middle, id: "a3" }, disabled: false }));
    expect(last["version-next"]?.props.disabled).toBe(true);
    const busy = buttons(VersionSwitcher({ message: middle, disabled: true }));
    expect(busy["version-previous"]?.props.disabled).toBe(true);
    expect(busy["version-next"]?.props.disabled).toBe(true);
  });

  it("is not shown for a message with one version", () => {
    expect(renderToStaticMarkup(<VersionSwitcher message={testMessage({ id: "u1", role: "user" })} disabled={false} />)).toBe("");
    expect(
      renderToStaticMarkup(<VersionSwitcher message={testMessage({ id: "u1", role: "user", versionIds: ["u1"] })} disabled={false} />),
    ).toBe("");
  });
});

describe("a branch change in the store", () => {
  const user = testMessage({ id: "u1", role: "user", content: "Hi" });
  const old = testMessage({ id: "a1", role: "assistant", content: "Old", createdAt: 1_001, parentId: "u1" });
  const later = testMessage({ id: "u2", role: "user", content: "More", createdAt: 1_002, parentId: "a1" });

  it("shows the branch the core sends, versions included, and keeps a streaming answer's text", () => {
    const start = setConversationMessages(emptyMessagesState, "c1", [user, old, later]);
    const fresh = testMessage({ id: "a2", role: "assistant", status: "streaming", createdAt: 1_003, parentId: "u1" });
    const events: ChatEvent[] = [
      { type: "message-start", conversationId: "c1", message: fresh },
      { type: "text-delta", conversationId: "c1", messageId: "a2", text: "New words" },
      { type: "branch-changed", conversationId: "c1", messages: [user, { ...fresh, versionIds: ["a1", "a2"] }] },
      // A restart of the same answer (e.g. a failover) does not carry the versions: they stay.
      { type: "message-start", conversationId: "c1", message: { ...fresh, content: "" } },
    ];
    const state = events.reduce(applyChatEvent, start);
    expect(state.idsByConversation.c1).toEqual(["u1", "a2"]);
    expect(state.byId.a1).toBeUndefined();
    expect(state.byId.a2?.versionIds).toEqual(["a1", "a2"]);
    const beforeRestart = events.slice(0, 3).reduce(applyChatEvent, start);
    expect(beforeRestart.byId.a2?.content).toBe("New words");
  });
});
