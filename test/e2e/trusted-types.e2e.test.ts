import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import fs from "node:fs";
import { type Browser, type Page } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAppProtocolHandler } from "../../electron/app-protocol.js";
import { contentSecurityPolicy } from "../../electron/bridge/csp.js";
import { repoRoot, tempDir } from "../fixtures/paths.js";
import { launchBrowser } from "./browser.js";
import { watchCspViolations } from "./csp-violations.js";

/**
 * The renderer's Markdown under the renderer's real CSP (Trusted Types, no eval, no frames) in Chromium: the app's
 * Markdown component, built with the app's own Vite config, served by the Electron shell's app:// handler (here
 * behind a loopback HTTP server) with the CSP it sends. Answers carry character references, code, tables, raw
 * HTML and remote images; none of it may trip the policy, and the policy must really be enforced.
 */

const csp = contentSecurityPolicy();

const answer = [
  "# Fish &amp; chips",
  "",
  "Copyright &copy; 2026,&nbsp;see &notit; and &#169; and &#x1F600; and &bogus;.",
  "",
  "| name | markup |",
  "|------|--------|",
  "| tag  | &lt;b&gt; |",
  "",
  "```js",
  'const greeting = "<script>alert(1)</script>";',
  "```",
  "",
  "<script>window.hearthPwned = 1</script>",
  '<img src="x" onerror="window.hearthPwned = 2">',
  '<iframe src="https://example.com/"></iframe>',
  "",
  "[a link](https://example.com/) ![a picture](https://example.com/p.png) [bad](javascript:alert(1))",
].join("\n");

let workDir: string;
let server: http.Server;
let baseUrl: string;
let browser: Browser;
let page: Page;
let watched: { violations: string[] };
const pageErrors: string[] = [];

beforeAll(async () => {
  workDir = tempDir("hearth-tt-");
  const outDir = path.join(workDir, "page");
  await build({
    configFile: path.join(repoRoot, "vite.config.ts"),
    root: path.join(repoRoot, "test/e2e/trusted-types-page"),
    logLevel: "warn",
    build: { outDir, emptyOutDir: true, sourcemap: false },
  });
  const handler = createAppProtocolHandler({ root: outDir, csp });
  server = http.createServer((req, res) => {
    void handler(new Request(`app://hearth${req.url ?? "/"}`, { method: req.method })).then(async (response) => {
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => (headers[name] = value));
      res.writeHead(response.status, headers);
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  watched = await watchCspViolations(page);
  await page.goto(baseUrl);
  await page.locator("body[data-ready=yes]").waitFor({ state: "attached" });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

describe("Markdown under the renderer's CSP", () => {
  it("is served with the CSP, as module script and stylesheet of the right types", async () => {
    const index = await fetch(baseUrl);
    expect(index.headers.get("content-security-policy")).toBe(csp);
    const html = await index.text();
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect((await fetch(new URL(script!, baseUrl))).headers.get("content-type")).toMatch(/^text\/javascript/);
  });

  it("enforces Trusted Types and forbids eval in this page", async () => {
    const result = await page.evaluate(() => {
      const outcomes: Record<string, string> = {};
      try {
        document.createElement("div").innerHTML = "<b>x</b>";
        outcomes.innerHTML = "assigned";
      } catch (error) {
        outcomes.innerHTML = (error as Error).name;
      }
      try {
        const script = document.createElement("script");
        script.src = "./assets/none.js";
        outcomes.scriptSrc = "assigned";
      } catch (error) {
        outcomes.scriptSrc = (error as Error).name;
      }
      try {
        const w = window as unknown as { trustedTypes: { createPolicy(name: string, rules: object): unknown } };
        w.trustedTypes.createPolicy("default", { createHTML: (s: string) => s });
        outcomes.createPolicy = "created";
      } catch (error) {
        outcomes.createPolicy = (error as Error).name;
      }
      return outcomes;
    });
    expect(result).toEqual({ innerHTML: "TypeError", scriptSrc: "TypeError", createPolicy: "TypeError" });
    // Those three refusals are reported (asynchronously) as violations, which shows the watcher works; then
    // counting starts again from zero.
    await expect.poll(() => watched.violations.filter((v) => v.startsWith("[csp-violation]")).length).toBe(3);
    expect(watched.violations.join("\n")).toMatch(/innerHTML[\s\S]*script[\s\S]*trusted-types-policy/i);
    watched.violations.length = 0;
  });

  it("renders character references, tables, code and links without a violation, and runs no markup", async () => {
    await page.evaluate((text) => (window as unknown as { hearthMarkdown(text: string): void }).hearthMarkdown(text), answer);
    const markdown = page.locator(".markdown");
    await markdown.waitFor();
    await expect.poll(() => markdown.locator("pre code").count()).toBe(1);
    const text = await markdown.innerText();
    expect(text).toContain("Fish & chips");
    expect(text).toContain("Copyright © 2026,\u00a0see &notit; and © and 😀 and &bogus;.");
    expect(text).toContain("<b>");
    expect(await markdown.locator("pre code [class^='hljs-']").count()).toBeGreaterThan(0);
    expect(await markdown.locator("script, iframe, img").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { hearthPwned?: number }).hearthPwned)).toBeUndefined();
    // Give any late violation report time to arrive.
    await page.waitForTimeout(300);
    expect(watched.violations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it("typesets math with KaTeX, its fonts loaded from the app itself, without a violation", async () => {
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.evaluate(
      (text) => (window as unknown as { hearthMarkdown(text: string): void }).hearthMarkdown(text),
      "Euler: $e^{i\\pi} + 1 = 0$\n\n$$\n\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}\n$$\n\n$\\href{https://example.com}{x}$",
    );
    const markdown = page.locator(".markdown");
    await expect.poll(() => markdown.locator(".katex").count()).toBe(3);
    expect(await markdown.locator(".katex-display").count()).toBe(1);
    expect(await markdown.locator("a").count()).toBe(0);
    const loaded = await page.evaluate(async () => {
      await document.fonts.ready;
      const families: string[] = [];
      document.fonts.forEach((face) => {
        if (face.status === "loaded") families.push(face.family);
      });
      return families;
    });
    expect(loaded.some((family) => family.includes("KaTeX_Main"))).toBe(true);
    expect(requests.some((url) => url.includes("KaTeX_Main"))).toBe(true);
    expect(requests.filter((url) => !url.startsWith(baseUrl))).toEqual([]);
    await page.waitForTimeout(300);
    expect(watched.violations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
