import type { ServerResponse } from "node:http";

/** Server-sent events as OpenAI streams them: one `data: <json>` per chunk, `data: [DONE]` at the end. */
export class SseWriter {
  private started = false;

  constructor(
    private readonly response: ServerResponse,
    private readonly headers: Record<string, string>,
  ) {}

  get open(): boolean {
    return !this.response.writableEnded && !this.response.destroyed;
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.response.writeHead(200, {
      ...this.headers,
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    this.response.flushHeaders();
  }

  send(data: unknown): void {
    this.start();
    if (this.open) this.response.write(`data: ${JSON.stringify(data)}\n\n`);
  }

  done(): void {
    this.start();
    if (this.open) this.response.end("data: [DONE]\n\n");
  }
}
