import { describe, expect, it } from "vitest";
import type { ChatEvent, MethodOutput, SequencedChatEvent } from "../api/contract.js";
import { ChatFollower } from "./chat-follower.js";

type CatchUpReply = MethodOutput<"catchUpChat">;

const delta = (seq: number, text: string, conversationId = "c1"): SequencedChatEvent => ({
  type: "text-delta",
  conversationId,
  messageId: "a1",
  text,
  seq,
});

/** A follower whose core holds `core` (every event it numbered) and answers catch-ups from it. */
function harness(options: { keptFrom?: number } = {}) {
  const core: SequencedChatEvent[] = [];
  const applied: string[] = [];
  const calls: Array<{ conversationId: string; afterSeq: number }> = [];
  const reloads: string[] = [];
  let answer: ((reply: CatchUpReply) => void) | null = null;
  let manual = false;
  const lastSeq = () => core.at(-1)?.seq ?? 0;
  const reply = (afterSeq: number): CatchUpReply =>
    afterSeq < (options.keptFrom ?? 0)
      ? { reset: true, lastSeq: lastSeq() }
      : { reset: false, events: core.filter((e) => e.seq > afterSeq), lastSeq: lastSeq() };
  const follower: ChatFollower = new ChatFollower({
    catchUp: (conversationId, afterSeq) => {
      calls.push({ conversationId, afterSeq });
      if (!manual) return Promise.resolve(reply(afterSeq));
      return new Promise((resolve) => (answer = resolve));
    },
    apply: (event: ChatEvent) => applied.push(event.type === "text-delta" ? event.text : event.type),
    reload: async (conversationId) => {
      reloads.push(conversationId);
      // The reloaded snapshot holds everything the core has; the page shows it whole.
      applied.length = 0;
      applied.push(`[snapshot to ${lastSeq()}]`);
      follower.opened(conversationId, lastSeq());
    },
  });
  return {
    follower,
    core,
    applied,
    calls,
    reloads,
    /** The core numbers an event; `deliver` says whether the page's link carries it. */
    emit(text: string, deliver: boolean) {
      const event = delta(lastSeq() + 1, text);
      core.push(event);
      if (deliver) follower.receive(event);
      return event;
    },
    holdReplies() {
      manual = true;
    },
    answerNow(afterSeq: number) {
      answer!(reply(afterSeq));
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("ChatFollower", () => {
  it("drops events the snapshot already includes and applies the ones after it once", () => {
    const h = harness();
    h.emit("Once", false);
    h.emit(" upon", false);
    h.follower.opened("c1", 2);
    h.follower.receive(h.core[1]!); // late copy of an event the snapshot has
    h.emit(" a time", true);
    h.follower.receive(h.core[2]!); // the same event twice (e.g. after a reconnect)
    expect(h.applied).toEqual([" a time"]);
    expect(h.follower.lastSeq("c1")).toBe(3);
  });

  it("after the link drops mid-answer, catches up on what it missed without duplicating what it had", async () => {
    const h = harness();
    h.follower.opened("c1", 0);
    h.emit("Once", true);
    h.emit(" upon", true);
    h.emit(" a", false); // lost with the link
    h.emit(" time", false);
    await h.follower.catchUp("c1"); // the link is back
    h.emit(".", true);
    expect(h.applied.join("")).toBe("Once upon a time.");
    expect(h.calls).toEqual([{ conversationId: "c1", afterSeq: 2 }]);
    expect(h.reloads).toEqual([]);
  });

  it("a gap in the live events is filled by a catch-up before the event after it is applied", async () => {
    const h = harness();
    h.follower.opened("c1", 0);
    h.emit("A", true);
    h.emit("B", false);
    h.emit("C", true); // arrives with B missing
    expect(h.applied).toEqual(["A"]);
    await settle();
    expect(h.applied).toEqual(["A", "B", "C"]);
  });

  it("events arriving during a catch-up wait and are applied after it, in order, each once", async () => {
    const h = harness();
    h.holdReplies();
    h.follower.opened("c1", 0);
    h.emit("A", true);
    h.emit("B", false);
    const caughtUp = h.follower.catchUp("c1");
    h.emit("C", true); // live, while the catch-up is on its way (the core's reply will hold it too)
    h.answerNow(1);
    h.emit("D", true);
    await caughtUp;
    h.emit("E", true);
    expect(h.applied).toEqual(["A", "B", "C", "D", "E"]);
  });

  it("reloads the conversation when the core no longer holds what was missed, then goes on from the snapshot", async () => {
    const h = harness({ keptFrom: 3 });
    h.follower.opened("c1", 0);
    h.emit("A", true);
    for (const t of ["B", "C", "D"]) h.emit(t, false);
    await h.follower.catchUp("c1");
    expect(h.reloads).toEqual(["c1"]);
    h.emit("E", true);
    expect(h.applied).toEqual(["[snapshot to 4]", "E"]);
  });

  it("reloads when the core's numbers are behind the page's (the core restarted)", async () => {
    const h = harness();
    h.follower.opened("c1", 50);
    h.emit("A", false);
    await h.follower.catchUp("c1");
    expect(h.reloads).toEqual(["c1"]);
  });

  it("a failed catch-up (the link dropped again) is not retried in a loop; the next one starts where the page is", async () => {
    let attempts = 0;
    const applied: string[] = [];
    const follower = new ChatFollower({
      catchUp: async () => {
        attempts += 1;
        throw new Error("Lost the connection");
      },
      apply: (event) => applied.push(event.type),
      reload: async () => {},
    });
    follower.opened("c1", 1);
    await expect(follower.catchUp("c1")).rejects.toThrow("Lost the connection");
    follower.receive(delta(5, "x")); // a gap: one background catch-up, which fails too
    await settle();
    await settle();
    expect(attempts).toBe(2);
    expect(applied).toEqual([]);
    expect(follower.lastSeq("c1")).toBe(1);
  });

  it("applies events of conversations it does not follow as they come, and stops following a forgotten one", () => {
    const h = harness();
    h.follower.receive(delta(7, "other", "c2"));
    h.follower.opened("c1", 3);
    h.follower.forget("c1");
    h.follower.receive(delta(2, "old but unfollowed"));
    expect(h.applied).toEqual(["other", "old but unfollowed"]);
    expect(h.follower.follows("c1")).toBe(false);
  });

  it("a snapshot older than events already applied catches up from the snapshot (it replaced them)", async () => {
    const h = harness();
    h.follower.opened("c1", 0);
    h.emit("A", true);
    h.emit("B", true);
    h.applied.length = 0; // the snapshot at 1 replaced the page's copy, which had A and B
    h.follower.opened("c1", 1);
    await settle();
    expect(h.applied).toEqual(["B"]);
  });
});
