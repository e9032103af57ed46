import { useEffect } from "react";
import { useHearth } from "../state/store.js";
import { applyTheme, cacheTheme, cachedTheme } from "./theme.js";

/** Keeps the page's colours on the theme in Settings (the window's last one until the settings are loaded). */
export function useAppliedTheme(): void {
  const theme = useHearth((s) => s.appSettings?.theme) ?? cachedTheme();
  useEffect(() => {
    cacheTheme(theme);
    return applyTheme(theme);
  }, [theme]);
}
