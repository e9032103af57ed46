import type { ProviderAdapter, WireUsage } from "./providers/provider-adapter.js";

/** Longest SSE line kept while looking for usage; longer lines (big text deltas) are skipped, never buffered whole. */
const maxLine = 64 * 1024;

/**
 * Reads token usage off a provider's server-sent events as the bytes pass through the egress gate, so the audit
 * entry gets the provider's own counts without the gate depending on how the SDK reports them.
 */
export class WireUsageReader {
  private readonly decoder = new TextDecoder();
  private line = "";
  private skipping = false;
  readonly usage: WireUsage = { input: null, output: null };

  constructor(private readonly adapter: Pick<ProviderAdapter, "readUsage">) {}

  push(bytes: Uint8Array): void {
    this.feed(this.decoder.decode(bytes, { stream: true }));
  }

  end(): void {
    this.feed(`${this.decoder.decode()}\n`);
  }

  private feed(text: string): void {
    let start = 0;
    for (let newline = text.indexOf("\n", start); newline !== -1; newline = text.indexOf("\n", start)) {
      if (!this.skipping) this.onLine(this.line + text.slice(start, newline));
      this.line = "";
      this.skipping = false;
      start = newline + 1;
    }
    if (this.skipping) return;
    this.line += text.slice(start);
    if (this.line.length > maxLine) {
      this.line = "";
      this.skipping = true;
    }
  }

  private onLine(raw: string): void {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    // Every provider names its counts "usage" / "usageMetadata"; other events are not worth parsing.
    if (!line.startsWith("data:") || !line.includes("sage")) return;
    let event: unknown;
    try {
      event = JSON.parse(line.slice(5));
    } catch {
      return;
    }
    const found = this.adapter.readUsage(event);
    if (found?.input != null) this.usage.input = found.input;
    if (found?.output != null) this.usage.output = found.output;
  }
}

/** Estimated cost in USD from prices per million tokens; null unless every count that costs something is known. */
export function estimateCost(
  usage: WireUsage,
  prices: { inputPricePerMTok: number | null; outputPricePerMTok: number | null },
): number | null {
  if (prices.inputPricePerMTok === null && prices.outputPricePerMTok === null) return null;
  if (usage.input === null && usage.output === null) return null;
  const part = (tokens: number | null, price: number | null): number | null => {
    if (tokens === 0) return 0;
    if (tokens === null || price === null) return null;
    return (tokens * price) / 1_000_000;
  };
  const input = part(usage.input, prices.inputPricePerMTok);
  const output = part(usage.output, prices.outputPricePerMTok);
  if (input === null || output === null) return null;
  return Math.round((input + output) * 1e8) / 1e8;
}
