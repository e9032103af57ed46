import { wsPath } from "./contract.js";

const TOKEN_KEY = "hearth.token";

type LocationLike = Pick<Location, "hash" | "host" | "protocol" | "pathname" | "search">;
type StorageLike = Pick<Storage, "getItem" | "setItem">;

/**
 * The page is opened as `http://127.0.0.1:PORT/#token=TOKEN`. The token is kept in sessionStorage so a reload
 * works after the fragment is gone, and the fragment is then removed from the address bar.
 */
export function takeToken(location: LocationLike, storage: StorageLike, replaceUrl?: (url: string) => void): string | null {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, "")).get("token");
  if (fromHash) {
    storage.setItem(TOKEN_KEY, fromHash);
    replaceUrl?.(`${location.pathname}${location.search}`);
    return fromHash;
  }
  return storage.getItem(TOKEN_KEY);
}

/**
 * Watches for a new launch link pasted into the open tab (same page, new `#token=` fragment: no reload happens) and
 * hands over its token; returns the unsubscribe.
 */
export function onNewToken(
  target: Pick<Window, "addEventListener" | "removeEventListener">,
  location: LocationLike,
  storage: StorageLike,
  replaceUrl: (url: string) => void,
  listener: (token: string) => void,
): () => void {
  const onHashChange = () => {
    if (!new URLSearchParams(location.hash.replace(/^#/, "")).get("token")) return;
    const token = takeToken(location, storage, replaceUrl);
    if (token) listener(token);
  };
  target.addEventListener("hashchange", onHashChange);
  return () => target.removeEventListener("hashchange", onHashChange);
}

export function wsUrlFor(location: Pick<LocationLike, "host" | "protocol">, token: string): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${wsPath}?token=${encodeURIComponent(token)}`;
}
