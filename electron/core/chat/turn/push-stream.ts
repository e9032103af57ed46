/**
 * A callback-fed async iterable: turns a producer that calls back (the engine's onTextDelta, the cloud's
 * onTextDelta) into the stream a generator yields. Values queue until read; `end` finishes the stream.
 */
export function pushStream<T>(): { push(value: T): void; end(): void; iterable: AsyncIterable<T> } {
  const queue: T[] = [];
  let ended = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };
  return {
    push(value) {
      if (ended) return;
      queue.push(value);
      notify();
    },
    end() {
      ended = true;
      notify();
    },
    iterable: {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          if (queue.length > 0) {
            yield queue.shift()!;
            continue;
          }
          if (ended) return;
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
        }
      },
    },
  };
}
