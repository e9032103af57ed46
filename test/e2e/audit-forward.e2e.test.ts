import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSyslogReceiver, type SyslogReceiver } from "../fixtures/collector-receivers.js";
import { checkChain, forwardHarness } from "../fixtures/forward-harness.js";
import { repoRoot, tempDir } from "../fixtures/paths.js";
import { launchBrowser, screenshotTo } from "./browser.js";
import { startHearthServer, type HearthServer } from "./hearth-server.js";

/**
 * The policy names a syslog collector that is down: the Audit view says where the log goes, how much waits and
 * why; once the collector is up, everything arrives in order and the line says so.
 */
let browser: Browser;
let page: Page;
let server: HearthServer;
let port: number;
let receiver: SyslogReceiver | null = null;
const pageErrors: string[] = [];

beforeAll(async () => {
  const workDir = tempDir();
  const dataDir = path.join(workDir, "data");
  fs.mkdirSync(dataDir, { mode: 0o700 });
  // Two requests already in the log (four chain links) before Hearth starts with the policy.
  const seed = forwardHarness(null, undefined, dataDir);
  seed.request();
  seed.request();
  await seed.stop();
  const probe = await startSyslogReceiver();
  port = probe.port;
  await probe.close();
  const policyFile = path.join(workDir, "policy.json");
  fs.writeFileSync(policyFile, JSON.stringify({ auditCollector: { type: "syslog", host: "127.0.0.1", port, transport: "tcp" } }));
  server = await startHearthServer(repoRoot, dataDir, { env: { HEARTH_POLICY_FILE: policyFile } });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on("pageerror", (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await receiver?.close();
});

describe("audit forwarding in the Audit view", () => {
  it("shows the collector, what is pending and the last error; then that all was delivered", async () => {
    await page.goto(server.url);
    await page.getByTestId("audit-open").click();
    const line = page.getByTestId("audit-forwarding");
    await expect
      .poll(() => line.innerText().catch(() => ""), { timeout: 20_000, interval: 200 })
      .toMatch(new RegExp(`^Forwarding to syslog 127\\.0\\.0\\.1:${port} — 4 pending, last error: connection refused at \\d{1,2}:\\d{2}`));
    await screenshotTo(page, "af-01-forwarding-down");

    receiver = await startSyslogReceiver({ port });
    // Retries back off (1 s, 2 s, 4 s ...); the view refreshes every 5 s.
    await expect
      .poll(() => line.innerText().catch(() => ""), { timeout: 60_000, interval: 500 })
      .toMatch(new RegExp(`^Forwarding to syslog 127\\.0\\.0\\.1:${port} — all delivered, last delivered at `));
    expect(checkChain(receiver.frames.map((f) => f.json)).map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    await screenshotTo(page, "af-02-forwarding-delivered");
    expect(pageErrors).toEqual([]);
    expect(server.log()).toContain("audit forwarding failed; retrying");
  });
});
