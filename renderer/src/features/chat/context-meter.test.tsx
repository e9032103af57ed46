import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ContextMeterInfo, Message } from "../../api/contract.js";
import { useHearth } from "../../state/store.js";
import { restoreStore, setStoreMessages } from "../../test/store-for-render.js";
import { testMessage } from "../../test/test-message.js";
import { ContextMeterView, fetchContextMeter, formatTokenCount } from "./ContextMeter.js";
import { listRows } from "../../test/list-rows.js";
import { selectContextCut } from "./context-cut.js";

const getContextMeter = vi.hoisted(() => vi.fn<(input: { conversationId: string }) => Promise<{ meter: ContextMeterInfo | null }>>());
vi.mock("../../api/get-api.js", () => ({ getApi: () => ({ getContextMeter }) }));

const stats = { timeToFirstTokenMs: 10, tokensPerSecond: 5, outputTokens: 3, evaluatedInputTokens: 40 };

function message(id: string, role: Message["role"], overrides: Partial<Message> = {}): Message {
  return testMessage({ id, role, content: `text of ${id}`, stats: role === "assistant" ? stats : null, ...overrides });
}

/** Two old turns, then an answer whose prompt left the first two messages out. */
function trimmedBranch(): Message[] {
  const context = { droppedCount: 2, firstKeptMessageId: "u2", usedTokens: 200, budgetTokens: 224 };
  return [
    message("u1", "user"),
    message("a1", "assistant"),
    message("u2", "user"),
    message("a2", "assistant"),
    message("u3", "user"),
    message("a3", "assistant", { stats: { ...stats, context } }),
  ];
}

afterEach(() => {
  getContextMeter.mockReset();
  restoreStore();
});

describe("the line where the model's memory begins", () => {
  it("sits once, just above the first message the latest answer's prompt still held", () => {
    setStoreMessages(trimmedBranch());
    const html = renderToStaticMarkup(<>{listRows("c1")}</>);
    expect(html.match(/data-testid="context-divider"/g)).toHaveLength(1);
    expect(html).toContain("The first 2 messages are no longer in the model&#x27;s memory.");
    const divider = html.indexOf('data-testid="context-divider"');
    expect(html.indexOf("text of a1")).toBeLessThan(divider);
    expect(html.indexOf("text of u2")).toBeGreaterThan(divider);
  });

  it("stays while the next answer is written, and is not shown when the latest answer held the whole branch", () => {
    const streaming = [...trimmedBranch(), message("u4", "user"), message("a4", "assistant", { status: "streaming", content: "", stats: null })];
    setStoreMessages(streaming);
    expect(selectContextCut("c1")(useHearth.getState())).toEqual({ firstKeptMessageId: "u2", droppedCount: 2 });

    setStoreMessages([message("u1", "user"), message("a1", "assistant")]);
    expect(selectContextCut("c1")(useHearth.getState())).toBeNull();
    expect(renderToStaticMarkup(<>{listRows("c1")}</>)).not.toContain("context-divider");
  });
});

describe("the header's context meter", () => {
  it('reads "1.2k / 4k tokens" and shows its level', () => {
    expect(formatTokenCount(850)).toBe("850");
    expect(formatTokenCount(1229)).toBe("1.2k");
    expect(formatTokenCount(4096)).toBe("4k");
    const html = renderToStaticMarkup(<ContextMeterView meter={{ usedTokens: 1229, contextSize: 4096, level: "ok", droppedCount: 0 }} />);
    expect(html).toContain("1.2k / 4k tokens");
    expect(html).toContain('data-level="ok"');
    expect(html).toContain('aria-valuenow="1229"');
    const full = renderToStaticMarkup(<ContextMeterView meter={{ usedTokens: 230, contextSize: 256, level: "full", droppedCount: 12 }} />);
    expect(full).toContain('data-level="full"');
    expect(full).toContain("The first 12 messages are no longer in the model&#x27;s memory.");
  });

  it("fails soft: no meter from the core, or a refused call, gives no meter and no error", async () => {
    getContextMeter.mockResolvedValueOnce({ meter: { usedTokens: 100, contextSize: 256, level: "ok", droppedCount: 0 } });
    expect(await fetchContextMeter("c1")).toMatchObject({ usedTokens: 100 });
    getContextMeter.mockResolvedValueOnce({ meter: null });
    expect(await fetchContextMeter("c1")).toBeNull();
    getContextMeter.mockRejectedValueOnce(new Error("link down"));
    expect(await fetchContextMeter("c1")).toBeNull();
    expect(getContextMeter).toHaveBeenCalledWith({ conversationId: "c1" });
  });
});
