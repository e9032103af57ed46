/**
 * A read/write lock: any number of readers at once (generations on distinct sequences of the loaded model), or one
 * writer alone (load, unload, a side job that needs the model to itself). Waiters are served in arrival order, so a
 * queued writer holds back readers that came after it: a load is never starved by a stream of generations.
 */
export class RwLock {
  private readers = 0;
  private writing = false;
  private readonly queue: { write: boolean; grant: () => void }[] = [];

  /** Resolves once reading is allowed; call the returned function exactly once to stop reading. */
  read(): Promise<() => void> {
    return this.enter(false);
  }

  /** Resolves once this caller is alone; call the returned function exactly once to let the others in. */
  write(): Promise<() => void> {
    return this.enter(true);
  }

  async runRead<T>(task: () => Promise<T>): Promise<T> {
    const release = await this.read();
    try {
      return await task();
    } finally {
      release();
    }
  }

  async runWrite<T>(task: () => Promise<T>): Promise<T> {
    const release = await this.write();
    try {
      return await task();
    } finally {
      release();
    }
  }

  private enter(write: boolean): Promise<() => void> {
    return new Promise((resolve) => {
      this.queue.push({
        write,
        grant: () => {
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            if (write) this.writing = false;
            else this.readers -= 1;
            this.drain();
          });
        },
      });
      this.drain();
    });
  }

  private drain(): void {
    while (this.queue.length > 0 && !this.writing) {
      const next = this.queue[0]!;
      if (next.write) {
        if (this.readers > 0) return;
        this.queue.shift();
        this.writing = true;
        next.grant();
        return;
      }
      this.queue.shift();
      this.readers += 1;
      next.grant();
    }
  }
}
