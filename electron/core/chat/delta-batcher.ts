/**
 * Collects streamed text and hands it on at most every `intervalMs`, so the UI gets a few dozen updates a second
 * instead of one per token. `flush()` delivers whatever is pending at once.
 */
export class DeltaBatcher {
  private pending = "";
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly deliver: (text: string) => void,
    private readonly intervalMs = 30,
  ) {}

  push(text: string): void {
    if (!text) return;
    this.pending += text;
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.pending) return;
    const text = this.pending;
    this.pending = "";
    this.deliver(text);
  }
}
