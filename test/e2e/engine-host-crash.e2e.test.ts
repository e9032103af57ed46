import fs from "node:fs";
import type { Page, WebSocketRoute } from "playwright-core";
import { describe, expect, it } from "vitest";
import { storiesModel } from "../fixtures/paths.js";
import { importModelAndStartChat, send, setMaxOutputTokens, waitComplete } from "./chat-steps.js";
import { useChatSession } from "./chat-session.js";

/**
 * The built server runs llama.cpp in its engine host process. Killing that process (SIGKILL, as llama.cpp's
 * GGML_ASSERT abort or the OOM killer would) while an answer streams: the page shows the answer interrupted with
 * the reason, the server stays up, the model indicator goes back to none, and the next message is answered.
 */

const session = useChatSession("hearth-e2e-engine-host-");
const answers = (page: Page) => page.getByTestId("message-assistant");

/** The engine host: the server's child process running engine-host-main.js (found in /proc, Linux). */
function hostPidOf(serverPid: number): number | null {
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name may hold spaces or parentheses: the parent pid is the 2nd field after the last ")".
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent !== serverPid) continue;
      if (fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("engine-host-main.js")) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("the engine host killed mid-answer", () => {
  it("shows the answer interrupted with the reason, keeps the app up, and answers the next message", async () => {
    const { page, server } = session;
    const serverPid = server.process.pid!;
    // The kill comes from the test process as the page receives the answer's first words: mid-answer for sure.
    let killed: number | null = null;
    let armed = false;
    await page.routeWebSocket(/\/api/, (ws: WebSocketRoute) => {
      const core = ws.connectToServer();
      ws.onMessage((frame) => core.send(frame));
      core.onMessage((frame) => {
        const text = String(frame);
        if (killed === null && armed && text.includes('"text-delta"')) {
          killed = hostPidOf(serverPid);
          if (killed !== null) process.kill(killed, "SIGKILL");
        }
        ws.send(text);
      });
    });
    await page.goto(server.url);
    await importModelAndStartChat(page, storiesModel);
    await setMaxOutputTokens(page, 2000);

    armed = true;
    await send(page, "Once upon a time");
    const answer = answers(page).last();
    await expect.poll(() => answer.getAttribute("data-status"), { timeout: 90_000, interval: 100 }).toBe("interrupted");
    expect(killed).not.toBeNull();
    await expect
      .poll(() => answer.getByTestId("message-interrupted").innerText())
      .toContain("The model runtime stopped unexpectedly; the model may be damaged or unsupported.");
    expect(await answer.getByTestId("message-status").textContent()).toBe("Interrupted");
    // The app is still up, the killed host is gone, and nothing shows as loaded.
    expect(server.process.exitCode).toBeNull();
    expect(alive(serverPid)).toBe(true);
    await expect.poll(() => alive(killed!)).toBe(false);
    await expect.poll(() => page.getByTestId("model-indicator").count()).toBe(0);

    // The next message starts a new host and gets an answer.
    armed = false;
    await setMaxOutputTokens(page, 16);
    await send(page, "And then?");
    await waitComplete(answers(page).last());
    expect((await answers(page).last().getByTestId("message-content").innerText()).trim().length).toBeGreaterThan(0);
    const restarted = hostPidOf(serverPid);
    expect(restarted).not.toBeNull();
    expect(restarted).not.toBe(killed);
    await expect.poll(() => page.getByTestId("model-indicator").count()).toBe(1);
    expect(session.pageErrors).toEqual([]);
  });
});
