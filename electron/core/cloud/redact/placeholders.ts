import type { RedactionType } from "./detection.js";

/** Serializable, stored per conversation so placeholders stay stable: same value -> same placeholder. */
export type PlaceholderMap = { byValue: Record<string, string>; counters: Record<string, number> };

export function emptyPlaceholderMap(): PlaceholderMap {
  return { byValue: {}, counters: {} };
}

/** The value's placeholder, minting `[TYPE_n]` (and updating `map` in place) the first time it is seen. */
export function placeholderFor(map: PlaceholderMap, type: RedactionType, value: string): string {
  // Keyed by the exact text, so that restoring gives back exactly what was written.
  const key = value;
  const existing = map.byValue[key];
  if (existing !== undefined) return existing;
  const n = (map.counters[type] ?? 0) + 1;
  map.counters[type] = n;
  const placeholder = `[${type}_${n}]`;
  map.byValue[key] = placeholder;
  return placeholder;
}

export function typeOfPlaceholder(placeholder: string): string | undefined {
  return /^\[([A-Z_]+)_\d+\]$/.exec(placeholder)?.[1];
}

const PLACEHOLDER = /\[[A-Z_]+_\d+\]/g;

/** Puts the originals back; placeholders the map does not know (a model's invention) stay as they are. */
export function restoreText(text: string, map: PlaceholderMap): string {
  const byPlaceholder = new Map<string, string>();
  for (const [value, placeholder] of Object.entries(map.byValue)) {
    if (!byPlaceholder.has(placeholder)) byPlaceholder.set(placeholder, value);
  }
  return text.replace(PLACEHOLDER, (p) => byPlaceholder.get(p) ?? p);
}

/** Longest placeholder a stream may split: "[" + type + "_" + digits + "]". */
const MAX_PLACEHOLDER = 40;

/**
 * Restores a streamed answer chunk by chunk. A chunk that ends inside what may be a placeholder ("... [PERS")
 * keeps that tail back until the next chunk shows whether it is one.
 */
export function createStreamingRestorer(map: PlaceholderMap): { push(chunk: string): string; flush(): string } {
  let pending = "";
  return {
    push(chunk: string): string {
      pending += chunk;
      const open = pending.lastIndexOf("[");
      if (open >= 0 && pending.length - open < MAX_PLACEHOLDER && /^\[[A-Z_]*\d*$/.test(pending.slice(open))) {
        const ready = pending.slice(0, open);
        pending = pending.slice(open);
        return restoreText(ready, map);
      }
      const out = restoreText(pending, map);
      pending = "";
      return out;
    },
    flush(): string {
      const out = restoreText(pending, map);
      pending = "";
      return out;
    },
  };
}
