import type { Locator, Page, WebSocketRoute } from "playwright-core";
import { describe, expect, it } from "vitest";
import { storiesModel } from "../fixtures/paths.js";
import { importModelAndStartChat, send, setMaxOutputTokens, waitComplete } from "./chat-steps.js";
import { useChatSession } from "./chat-session.js";

/**
 * Two tabs on one conversation, on the built server with the real stories260K model: a message sent in tab A shows
 * in tab B at once (message-added), and tab B, whose connection drops mid-answer, catches up to the whole answer
 * without reloading and without doubled text.
 */

const session = useChatSession("hearth-e2e-catch-up-");

const answers = (page: Page) => page.getByTestId("message-assistant");
const bodyText = async (message: Locator) => (await message.getByTestId("message-content").innerText()).trim();
const userTexts = async (page: Page) => (await page.getByTestId("message-user").allInnerTexts()).map((t) => t.trim());

/**
 * The end of an answer carries its whole text; tab B gets it without, so what B shows is built from the deltas
 * alone (live and caught up) and any lost or doubled delta shows in its text.
 */
function withoutFinishText(frame: string): string {
  const message = JSON.parse(frame) as { event?: string; payload?: Record<string, unknown>; result?: { value?: { events?: unknown[] } } };
  const strip = (event: unknown) => {
    if (typeof event !== "object" || event === null || (event as { type?: unknown }).type !== "message-finish") return;
    delete (event as Record<string, unknown>).content;
    delete (event as Record<string, unknown>).reasoning;
  };
  if (message.event === "chat") strip(message.payload);
  for (const event of message.result?.value?.events ?? []) strip(event);
  return JSON.stringify(message);
}

describe("two tabs on one conversation", () => {
  it("tab B shows tab A's message at once, and after its connection drops mid-answer catches up without reload or doubles", async () => {
    const { page, server } = session;
    await page.goto(server.url);
    await importModelAndStartChat(page, storiesModel);
    await setMaxOutputTokens(page, 200);
    await send(page, "Once upon a time");
    await waitComplete(answers(page).last());

    // Tab B goes through a proxy of its WebSocket that can drop the connection when told to.
    const other = await session.openTab("second tab");
    const requests: string[] = [];
    let dropAtNextDelta = false;
    let deltasBeforeDrop = 0;
    let droppedAt: number | null = null;
    let connections = 0;
    await other.routeWebSocket(/\/api/, (ws: WebSocketRoute) => {
      connections += 1;
      const core = ws.connectToServer();
      ws.onMessage((frame) => {
        const method = (JSON.parse(String(frame)) as { method?: string }).method;
        if (method) requests.push(method);
        core.send(frame);
      });
      core.onMessage((frame) => {
        const text = String(frame);
        // The third delta of the answer: tab B already shows some of its text, which must not come twice.
        if (dropAtNextDelta && droppedAt === null && text.includes('"text-delta"') && ++deltasBeforeDrop === 3) {
          // The link goes down with this delta undelivered; the answer goes on in the core.
          droppedAt = requests.length;
          void ws.close({ code: 1006 });
          void core.close();
          return;
        }
        ws.send(withoutFinishText(text));
      });
    });
    await other.goto(server.url);
    await other.getByTestId("conversation-item").first().locator(".conversation-open").click();
    await expect.poll(() => userTexts(other)).toEqual(["Once upon a time"]);
    await waitComplete(answers(other).last());
    await other.evaluate(() => {
      (window as unknown as { sameDocument: boolean }).sameDocument = true;
    });

    dropAtNextDelta = true;
    await send(page, "The fox ran");
    // Sent in tab A, shown in tab B without anything done there.
    await expect.poll(() => userTexts(other), { timeout: 30_000 }).toEqual(["Once upon a time", "The fox ran"]);

    await expect.poll(() => answers(page).count()).toBe(2);
    await waitComplete(answers(page).last());
    const answer = await bodyText(answers(page).last());
    expect(answer.length).toBeGreaterThan(0);

    await expect.poll(() => answers(other).count(), { timeout: 30_000 }).toBe(2);
    await waitComplete(answers(other).last());
    expect(await bodyText(answers(other).last())).toBe(answer);
    expect(await userTexts(other)).toEqual(["Once upon a time", "The fox ran"]);

    // It reconnected and caught up: no page reload, and the conversation was not fetched again.
    expect(droppedAt).not.toBeNull();
    expect(connections).toBe(2);
    const after = requests.slice(droppedAt!);
    expect(after).toContain("catchUpChat");
    expect(after).not.toContain("getConversation");
    expect(await other.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(session.pageErrors).toEqual([]);
  });
});
