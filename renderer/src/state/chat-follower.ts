import type { ChatEvent, MethodOutput, SequencedChatEvent } from "../api/contract.js";

export type ChatFollowerDeps = {
  /** catchUpChat: the conversation's events after `afterSeq`, or a reset. */
  catchUp(conversationId: string, afterSeq: number): Promise<MethodOutput<"catchUpChat">>;
  /** Applies one event to the page's state. */
  apply(event: ChatEvent): void;
  /** Loads the conversation again from the core; its snapshot calls `opened`. */
  reload(conversationId: string): Promise<void>;
  /** A catch-up started by a gap failed (a catch-up asked for by the caller rejects to it instead). */
  onError?(error: unknown): void;
};

/** Events held while a catch-up is under way; past this the conversation is reloaded instead. */
const MAX_QUEUED = 5_000;

type Followed = {
  /** The number of the last event the page's copy of the conversation includes. */
  lastSeq: number;
  /** Non-null while catching up: live events wait here, so they are applied after what was missed, in order. */
  queue: SequencedChatEvent[] | null;
  overflow: boolean;
};

/**
 * Applies each open conversation's chat events exactly once and in order. A conversation is followed from the
 * snapshot it was loaded from (getConversation's `lastSeq`): events the snapshot includes are dropped, a gap (events
 * lost with the link) is filled by catchUpChat before anything after it is applied, and a reset reloads it.
 * Events of conversations not followed are applied as they come.
 */
export class ChatFollower {
  private readonly followed = new Map<string, Followed>();

  constructor(private readonly deps: ChatFollowerDeps) {}

  follows(conversationId: string): boolean {
    return this.followed.has(conversationId);
  }

  lastSeq(conversationId: string): number | null {
    return this.followed.get(conversationId)?.lastSeq ?? null;
  }

  /** The page now shows the core's snapshot of the conversation, which includes its events up to `lastSeq`. */
  opened(conversationId: string, lastSeq: number): void {
    const current = this.followed.get(conversationId);
    if (current?.queue) {
      // Reloaded during a catch-up (a reset): the catch-up applies what is queued after it.
      current.lastSeq = lastSeq;
      return;
    }
    this.followed.set(conversationId, { lastSeq, queue: null, overflow: false });
    // Events after the snapshot were applied before it arrived (and it replaced them): apply them again.
    if (current && current.lastSeq > lastSeq) this.catchUpInBackground(conversationId);
  }

  receive(event: SequencedChatEvent): void {
    const followed = this.followed.get(event.conversationId);
    if (!followed) {
      this.deps.apply(event);
      return;
    }
    if (followed.queue) {
      if (followed.queue.length < MAX_QUEUED) followed.queue.push(event);
      else followed.overflow = true;
      return;
    }
    if (event.seq <= followed.lastSeq) return;
    if (event.seq > followed.lastSeq + 1) {
      // Something was missed: fetch it, and apply this one after it.
      followed.queue = [event];
      this.catchUpInBackground(event.conversationId);
      return;
    }
    followed.lastSeq = event.seq;
    this.deps.apply(event);
  }

  /** Applies what the conversation missed (after the link came back); reloads it when the core cannot say. */
  async catchUp(conversationId: string): Promise<void> {
    const followed = this.followed.get(conversationId);
    if (!followed) return;
    if (followed.queue) return; // one is under way
    followed.queue = [];
    await this.run(conversationId, followed);
  }

  forget(conversationId: string): void {
    this.followed.delete(conversationId);
  }

  private catchUpInBackground(conversationId: string): void {
    const followed = this.followed.get(conversationId);
    if (!followed) return;
    followed.queue ??= [];
    this.run(conversationId, followed).catch((error: unknown) => this.deps.onError?.(error));
  }

  private async run(conversationId: string, followed: Followed): Promise<void> {
    try {
      const reply = await this.deps.catchUp(conversationId, followed.lastSeq);
      if (this.followed.get(conversationId) !== followed) return;
      // A reply behind the page means the core restarted: its numbers are not ours.
      if (reply.reset || reply.lastSeq < followed.lastSeq || followed.overflow) {
        followed.overflow = false;
        await this.deps.reload(conversationId);
      } else {
        for (const event of reply.events) {
          if (event.seq <= followed.lastSeq) continue;
          followed.lastSeq = event.seq;
          this.deps.apply(event);
        }
      }
    } catch (error) {
      // The queued events are dropped: the next catch-up (the link coming back) starts before them anyway.
      followed.queue = null;
      followed.overflow = false;
      throw error;
    }
    const queued = followed.queue ?? [];
    followed.queue = null;
    // What arrived meanwhile, in order; what the catch-up already applied is dropped by its number.
    if (this.followed.get(conversationId) === followed) for (const event of queued) this.receive(event);
  }
}
