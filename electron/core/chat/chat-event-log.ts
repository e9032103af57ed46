import {
  MAX_CATCH_UP_EVENTS,
  withTextParts,
  type ChatEvent,
  type Message,
  type MethodOutput,
  type SequencedChatEvent,
} from "../../contract/index.js";

export type ChatCatchUp = MethodOutput<"catchUpChat">;

export type ChatEventLogLimits = {
  /** Events kept per conversation (a minute or so of a streaming answer at the batcher's ~30 ms). */
  eventsPerConversation: number;
  /** Characters (of the events as JSON) kept per conversation; a single bigger event is not kept at all. */
  charsPerConversation: number;
  /** Characters kept over all conversations; the least recently active ones lose theirs first. */
  totalChars: number;
};

export const defaultChatEventLogLimits: ChatEventLogLimits = {
  eventsPerConversation: MAX_CATCH_UP_EVENTS,
  charsPerConversation: 2_000_000,
  totalChars: 8_000_000,
};

/** Answers streaming at once in one conversation that the log follows; more means one never finished. */
const MAX_LIVE_ANSWERS = 8;

type Entry = { event: SequencedChatEvent; chars: number };
type LiveAnswer = { content: string; reasoning: string };

type ConversationLog = {
  lastSeq: number;
  /** Events numbered up to here are no longer held: a catch-up from before it is a reset. */
  floor: number;
  entries: Entry[];
  chars: number;
  /** What the events so far made of each streaming answer (the store's copy is saved only every few hundred ms). */
  live: Map<string, LiveAnswer>;
};

/** Characters an event takes as JSON; deltas (the flood) are estimated without serialising them. */
function charsOf(event: ChatEvent): number {
  if (event.type === "text-delta" || event.type === "reasoning-delta") return event.text.length + 120;
  return JSON.stringify(event).length;
}

/**
 * Numbers each conversation's chat events and keeps its recent ones, bounded by count and size, so a window whose
 * link dropped catches up instead of reloading. Numbers start above any an earlier run of the core handed out
 * (`startSeq`, the start time by default), so a window that outlived a core restart is told to reload.
 */
export class ChatEventLog {
  private readonly logs = new Map<string, ConversationLog>();
  private totalChars = 0;
  private readonly limits: ChatEventLogLimits;
  private readonly startSeq: number;

  constructor(options: { limits?: Partial<ChatEventLogLimits>; startSeq?: number } = {}) {
    this.limits = { ...defaultChatEventLogLimits, ...options.limits };
    this.startSeq = options.startSeq ?? Date.now();
  }

  /** Numbers the event, keeps it for catching up, and follows the answer it belongs to. */
  stamp(event: ChatEvent): SequencedChatEvent {
    const log = this.touch(event.conversationId);
    log.lastSeq += 1;
    const sequenced: SequencedChatEvent = { ...event, seq: log.lastSeq };
    this.follow(log, event);
    const chars = charsOf(event);
    if (chars > this.limits.charsPerConversation) {
      // Too big to keep: everything before it and it are gone for catching up.
      this.drop(log, log.entries.length);
      log.floor = log.lastSeq;
    } else {
      log.entries.push({ event: sequenced, chars });
      log.chars += chars;
      this.totalChars += chars;
      // The oldest go until the conversation is within both bounds (the new event alone always is).
      let excess = 0;
      let kept = log.chars;
      while (log.entries.length - excess > this.limits.eventsPerConversation || kept > this.limits.charsPerConversation) {
        kept -= log.entries[excess]!.chars;
        excess += 1;
      }
      this.drop(log, excess);
      this.trimTotal(log);
    }
    return sequenced;
  }

  /** The number of the conversation's last event (the start number when it has had none this run). */
  lastSeq(conversationId: string): number {
    return this.logs.get(conversationId)?.lastSeq ?? this.startSeq;
  }

  /** The events after `afterSeq`, or a reset when they are not all held any more (or were never this run's). */
  catchUp(conversationId: string, afterSeq: number): ChatCatchUp {
    const log = this.logs.get(conversationId);
    const lastSeq = log?.lastSeq ?? this.startSeq;
    const floor = log?.floor ?? this.startSeq;
    if (afterSeq < floor || afterSeq > lastSeq) return { reset: true, lastSeq };
    const events = (log?.entries ?? []).filter((entry) => entry.event.seq > afterSeq).map((entry) => entry.event);
    return { reset: false, events, lastSeq };
  }

  /**
   * Messages as the events so far left them: an answer still streaming gets the text its deltas carried, which the
   * store (saved every few hundred ms, and ahead of the batched deltas) does not match. Read with `lastSeq` in the
   * same tick, a window then applies exactly the events after it.
   */
  withLiveAnswers(conversationId: string, messages: readonly Message[]): Message[] {
    const live = this.logs.get(conversationId)?.live;
    if (!live || live.size === 0) return [...messages];
    return messages.map((message) => {
      const answer = message.status === "streaming" ? live.get(message.id) : undefined;
      return answer ? withTextParts({ ...message, content: answer.content, reasoning: answer.reasoning }) : message;
    });
  }

  /** A deleted conversation: its events and numbers are forgotten. */
  forget(conversationId: string): void {
    const log = this.logs.get(conversationId);
    if (!log) return;
    this.totalChars -= log.chars;
    this.logs.delete(conversationId);
  }

  /** Characters and events held, for tests and diagnostics. */
  held(): { chars: number; events: number; conversations: number } {
    let events = 0;
    for (const log of this.logs.values()) events += log.entries.length;
    return { chars: this.totalChars, events, conversations: this.logs.size };
  }

  /** The conversation's log, moved to the most recently active end. */
  private touch(conversationId: string): ConversationLog {
    let log = this.logs.get(conversationId);
    if (log) this.logs.delete(conversationId);
    log ??= { lastSeq: this.startSeq, floor: this.startSeq, entries: [], chars: 0, live: new Map() };
    this.logs.set(conversationId, log);
    return log;
  }

  private follow(log: ConversationLog, event: ChatEvent): void {
    switch (event.type) {
      case "message-start":
      case "attempt-started":
        log.live.delete(event.message.id);
        if (event.message.status !== "streaming") return;
        log.live.set(event.message.id, { content: event.message.content, reasoning: event.message.reasoning });
        if (log.live.size > MAX_LIVE_ANSWERS) log.live.delete(log.live.keys().next().value!);
        return;
      case "text-delta": {
        const answer = log.live.get(event.messageId);
        if (answer) answer.content += event.text;
        return;
      }
      case "reasoning-delta": {
        const answer = log.live.get(event.messageId);
        if (answer) answer.reasoning += event.text;
        return;
      }
      case "message-finish":
        log.live.delete(event.messageId);
        return;
      case "message-added":
      case "branch-changed":
      case "escalation-proposed":
      case "escalation-resolved":
        return;
      default:
        event satisfies never;
    }
  }

  /** Forgets the `count` oldest events of a conversation. */
  private drop(log: ConversationLog, count: number): void {
    if (count <= 0) return;
    const gone = log.entries.splice(0, count);
    for (const entry of gone) {
      log.chars -= entry.chars;
      this.totalChars -= entry.chars;
    }
    log.floor = gone.at(-1)!.event.seq;
  }

  /** Over the total: the least recently active conversations lose their events first, `current` last. */
  private trimTotal(current: ConversationLog): void {
    for (const log of this.logs.values()) {
      if (this.totalChars <= this.limits.totalChars) return;
      if (log === current) break;
      this.drop(log, log.entries.length);
    }
    while (this.totalChars > this.limits.totalChars && current.entries.length > 0) this.drop(current, 1);
  }
}
