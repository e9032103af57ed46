import type { DeltaPart } from "./protocol.js";

/**
 * Token deltas of one generation, batched before they cross to the core: the first goes at once (the answer's
 * first word is not delayed), the rest about every `intervalMs`, like the core's own batcher for the UI. Adjacent
 * deltas of one kind merge, so a batch is a few strings whatever the token rate.
 */
export class HostDeltas {
  private parts: DeltaPart[] = [];
  private timer: NodeJS.Timeout | null = null;
  private sentFirst = false;

  constructor(
    private readonly send: (parts: DeltaPart[]) => void,
    private readonly intervalMs = 20,
  ) {}

  push(kind: DeltaPart["kind"], text: string): void {
    if (!text) return;
    const last = this.parts.at(-1);
    if (last?.kind === kind) last.text += text;
    else this.parts.push({ kind, text });
    if (!this.sentFirst) {
      this.sentFirst = true;
      this.flush();
      return;
    }
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.parts.length === 0) return;
    const parts = this.parts;
    this.parts = [];
    this.send(parts);
  }
}
