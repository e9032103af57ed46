import type { Theme } from "../api/contract.js";

/** The colours in force: the CSS reads `data-theme` on <html> ("dark" switches every colour variable). */
export type AppliedTheme = "light" | "dark";

/** Remembered in this window for the first paint; the core's setting is what counts once it is loaded. */
const CACHE_KEY = "hearth-theme";

export function resolveTheme(theme: Theme, systemDark: boolean): AppliedTheme {
  if (theme === "system") return systemDark ? "dark" : "light";
  return theme;
}

type ThemeHost = {
  root: { dataset: DOMStringMap };
  /** The system's dark preference; null where it cannot be asked (no window). */
  darkQuery: Pick<MediaQueryList, "matches" | "addEventListener" | "removeEventListener"> | null;
};

function browserHost(): ThemeHost {
  return { root: document.documentElement, darkQuery: window.matchMedia?.("(prefers-color-scheme: dark)") ?? null };
}

/** Sets the theme on the page; "system" follows the system's changes until the returned function is called. */
export function applyTheme(theme: Theme, host: ThemeHost = browserHost()): () => void {
  const set = () => {
    host.root.dataset.theme = resolveTheme(theme, host.darkQuery?.matches ?? false);
  };
  set();
  if (theme !== "system" || !host.darkQuery) return () => {};
  const query = host.darkQuery;
  query.addEventListener("change", set);
  return () => query.removeEventListener("change", set);
}

export function cachedTheme(): Theme {
  try {
    const value = localStorage.getItem(CACHE_KEY);
    return value === "light" || value === "dark" ? value : "system";
  } catch {
    return "system";
  }
}

export function cacheTheme(theme: Theme): void {
  try {
    localStorage.setItem(CACHE_KEY, theme);
  } catch {
    // Storage refused (a locked-down profile): the first paint follows the system, then the setting.
  }
}
