import { withTextParts, type Message, type MessageStats, type MessageStatus, type SerializedAppError } from "../../contract/index.js";

export type FinishFields = {
  content: string;
  reasoning: string;
  status: MessageStatus;
  stats: MessageStats | null;
  error: SerializedAppError | null;
};

/**
 * The final state of answers the disk had no room for. Held in memory so the core keeps showing each answer as it
 * ended (not as the last save left it, nor still "streaming"), and written out as soon as the disk takes writes again.
 */
export class UnsavedAnswers {
  private readonly pending = new Map<string, FinishFields>();

  keep(id: string, fields: FinishFields): void {
    this.pending.set(id, fields);
  }

  forget(id: string): void {
    this.pending.delete(id);
  }

  /** A stored message as it really ended. */
  apply(message: Message): Message {
    const fields = this.pending.get(message.id);
    return fields ? withTextParts({ ...message, ...fields }) : message;
  }

  /** Writes what it holds, oldest first; stops at the first that still does not fit (the disk is still full). */
  flush(write: (id: string, fields: FinishFields) => void): void {
    for (const [id, fields] of this.pending) {
      try {
        write(id, fields);
      } catch {
        return;
      }
      this.pending.delete(id);
    }
  }
}
