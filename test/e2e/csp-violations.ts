import type { Page } from "playwright-core";

/**
 * Collects every Content-Security-Policy and Trusted Types violation a page reports, across reloads: the page's
 * own `securitypolicyviolation` events (forwarded through the console, which survives navigation) and
 * Chromium's console errors about blocked resources and sinks. Call before the first navigation.
 */
export async function watchCspViolations(page: Page): Promise<{ violations: string[] }> {
  const violations: string[] = [];
  page.on("console", (message) => {
    const text = message.text();
    if (text.startsWith("[csp-violation]") || /Content Security Policy|Trusted ?(Types|HTML|Script|ScriptURL)/i.test(text)) {
      violations.push(text);
    }
  });
  await page.addInitScript(() => {
    document.addEventListener(
      "securitypolicyviolation",
      (event) => console.error(`[csp-violation] ${event.effectiveDirective} blocked ${event.blockedURI || "(inline)"}: ${event.sample}`),
      true,
    );
  });
  return { violations };
}
