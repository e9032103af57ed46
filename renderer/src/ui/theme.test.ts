import { describe, expect, it } from "vitest";
import { applyTheme, resolveTheme } from "./theme.js";

/** A page root and a system preference that can change, as the browser gives them. */
function fakeHost(systemDark: boolean) {
  const listeners = new Set<() => void>();
  const darkQuery = {
    matches: systemDark,
    addEventListener: (_: string, listener: () => void) => listeners.add(listener),
    removeEventListener: (_: string, listener: () => void) => listeners.delete(listener),
  };
  const host = { root: { dataset: {} as Record<string, string | undefined> }, darkQuery: darkQuery as never };
  const systemTurns = (dark: boolean) => {
    darkQuery.matches = dark;
    for (const listener of listeners) listener();
  };
  return { host, listeners, systemTurns };
}

describe("theme", () => {
  it("resolves the system choice from the system's preference, and a fixed choice as itself", () => {
    expect(resolveTheme("system", true)).toBe("dark");
    expect(resolveTheme("system", false)).toBe("light");
    expect(resolveTheme("light", true)).toBe("light");
    expect(resolveTheme("dark", false)).toBe("dark");
  });

  it("follows the system while the theme is 'system', and stops following once changed", () => {
    const { host, listeners, systemTurns } = fakeHost(false);
    const stop = applyTheme("system", host);
    expect(host.root.dataset.theme).toBe("light");
    systemTurns(true);
    expect(host.root.dataset.theme).toBe("dark");
    stop();
    expect(listeners.size).toBe(0);

    applyTheme("light", host);
    expect(host.root.dataset.theme).toBe("light");
    systemTurns(false);
    systemTurns(true);
    expect(host.root.dataset.theme).toBe("light");
    expect(listeners.size).toBe(0);
  });
});
