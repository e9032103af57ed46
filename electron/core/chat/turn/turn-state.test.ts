import { describe, expect, it } from "vitest";
import type { StreamPart } from "./stream-parts.js";
import { decision, proposal, provider, turnInput } from "../../../../test/fixtures/turn-fixtures.js";
import { parseTurnState, type StateOf, type TurnInput, type TurnPhase, type TurnState } from "./turn-schema.js";
import { begin, next, recover } from "./turn-state.js";
import type { CloudNow, TurnEffect, TurnEvent, TurnResult } from "./turn-types.js";

let clock = 100;
const at = () => ++clock;

/** Every state the machine makes must survive JSON and the persisted schema exactly. */
function persisted(state: TurnState): TurnState {
  const round = parseTurnState(JSON.parse(JSON.stringify(state)));
  expect(round).toEqual(state);
  return state;
}

function start(input: Partial<TurnInput> = {}): TurnResult & { ok: true } {
  const result = begin(turnInput(input), at());
  if (!result.ok) throw new Error(result.error.message);
  persisted(result.state);
  return result;
}

function step(state: TurnState, event: TurnEvent): TurnResult & { ok: true } {
  const result = next(state, event);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  persisted(result.state);
  // Every change of phase or of an attempt's status is saved at once: a kill right after it loses nothing.
  const statuses = (x: TurnState) => x.attempts.map((a) => a.status).join();
  if (result.state.phase !== state.phase || statuses(result.state) !== statuses(state)) {
    expect(result.effects).toContainEqual({ type: "save", when: "now" });
  }
  // Clients hear only of what is saved: every notice comes after a save in the same step.
  const firstSave = result.effects.findIndex((e) => e.type === "save");
  const firstEmit = result.effects.findIndex((e) => e.type === "emit");
  if (firstEmit >= 0) expect(firstSave).toBeGreaterThanOrEqual(0);
  if (firstEmit >= 0) expect(firstSave).toBeLessThan(firstEmit);
  return result;
}

function drive(state: TurnState, ...events: TurnEvent[]): TurnState {
  return events.reduce((s, e) => step(s, e).state, state);
}

const types = (effects: TurnEffect[]) => effects.map((e) => (e.type === "emit" ? `emit:${e.notice.type}` : e.type === "save" ? `save:${e.when}` : e.type));
const routed = (target: "local" | "cloud" | null): TurnEvent => ({ type: "routed", at: at(), decision: target ? decision(target) : null });
const proposed = (overrides = {}): TurnEvent => ({ type: "proposed", at: at(), proposal: proposal(overrides) });
const part = (attemptId: string, p: StreamPart): TurnEvent => ({ type: "part", at: at(), attemptId, part: p });
const text = (attemptId: string, t: string) => part(attemptId, { type: "text-delta", text: t });
const finish = (attemptId: string, extra: Partial<Extract<StreamPart, { type: "finish" }>> = {}) =>
  part(attemptId, { type: "finish", reason: "stop", stats: null, ...extra });
const fail = (attemptId: string, message = "rate limited") =>
  part(attemptId, { type: "error", error: { code: "PROVIDER_RATE_LIMIT", message, retryable: true } });
const judged = (attemptId: string, escalate: boolean, cloud: CloudNow = { mode: "auto", provider }): TurnEvent => ({
  type: "judged",
  at: at(),
  attemptId,
  verdict: { escalate, reason: escalate ? "part of the local answer looks like a guess" : null },
  cloud,
});
const stop: () => TurnEvent = () => ({ type: "stop", at: at() });
const halt: () => TurnEvent = () => ({ type: "halt", at: at(), error: { code: "DISK_FULL", message: "The disk is full.", retryable: true } });

function as<P extends TurnPhase>(state: TurnState, phase: P): StateOf<P> {
  expect(state.phase).toBe(phase);
  return state as StateOf<P>;
}

/** One state in each phase (and each flavour of a phase), reached through the machine itself. */
type StateName =
  | "routing" | "proposing route" | "awaiting plain" | "confirming plain" | "proposing revise" | "generating local"
  | "generating cloud" | "generating failover" | "judging" | "proposing cascade" | "awaiting cascade"
  | "confirming cascade" | "generating cascade cloud" | "done" | "failed" | "interrupted";
const states: Record<StateName, () => TurnState> = {
  routing: () => start().state,
  "proposing route": () => drive(start().state, routed("cloud")),
  "awaiting plain": () => drive(start({ mode: "ask" }).state, routed("cloud"), proposed()),
  "confirming plain": () => drive(states["awaiting plain"](), { type: "approve", at: at(), proposalId: "prop-1" }),
  "proposing revise": () => drive(states["awaiting plain"](), { type: "edit", at: at(), proposalId: "prop-1", payload: [{ role: "user", content: "edited" }] }),
  "generating local": () => drive(start().state, routed("local"), text("t1.1", "Once")),
  "generating cloud": () => drive(states["proposing route"](), proposed(), text("t1.1", "Partial cloud")),
  "generating failover": () => drive(states["generating cloud"](), fail("t1.1"), text("t1.2", "Local")),
  judging: () => drive(states["generating local"](), finish("t1.1", { confidences: [0.1, 0.2, 0.1, 0.3] })),
  "proposing cascade": () => drive(states.judging(), judged("t1.1", true)),
  "awaiting cascade": () => drive(start({ mode: "ask" }).state, routed("local"), finish("t1.1", { confidences: [0.1] }), judged("t1.1", true, { mode: "ask", provider }), proposed({ replacesMessageId: "t1.1" })),
  "confirming cascade": () => drive(states["awaiting cascade"](), { type: "approve", at: at(), proposalId: "prop-1" }),
  "generating cascade cloud": () => drive(states["proposing cascade"](), proposed(), text("t1.2", "Better")),
  done: () => drive(states["generating local"](), finish("t1.1")),
  failed: () => drive(states["generating local"](), part("t1.1", { type: "error", error: { code: "GENERATION_FAILED", message: "x", retryable: true } })),
  interrupted: () => drive(states["generating local"](), stop()),
};

describe("begin", () => {
  it("Local only answers locally at once, without routing or confidences", () => {
    const { state, effects } = start({ mode: "local" });
    const s = as(state, "generating");
    expect(s.attempts[0]).toMatchObject({ id: "t1.1", kind: "answer", target: "local", reason: { code: "local-only" }, status: "streaming" });
    expect(types(effects)).toEqual(["save:now", "emit:attempt-started", "generate-local"]);
    expect(effects[2]).toMatchObject({ collectConfidence: false });
  });

  it("a regenerated turn's first attempt is a retry; the user's local choice skips the router", () => {
    const s = as(start({ origin: "regenerate", forced: "local" }).state, "generating");
    expect(s.attempts[0]).toMatchObject({ kind: "retry", reason: { code: "user-local", text: "You kept this answer local" } });
  });

  it("'Retry with cloud' goes straight to a proposal; refused where the cloud is not allowed or there is no provider", () => {
    const s = start({ origin: "regenerate", forced: "cloud" });
    expect(as(s.state, "proposing").purpose).toBe("route");
    expect(types(s.effects)).toEqual(["save:now", "propose"]);
    expect(begin(turnInput({ forced: "cloud", mode: "local" }), 1)).toMatchObject({ ok: false, error: { code: "EGRESS_BLOCKED" } });
    expect(begin(turnInput({ forced: "cloud", provider: null }), 1)).toMatchObject({ ok: false, error: { code: "NO_PROVIDER" } });
  });

  it("Ask and Auto route first", () => {
    const { state, effects } = start({ mode: "ask" });
    expect(state.phase).toBe("routing");
    expect(types(effects)).toEqual(["save:now", "route"]);
  });
});

describe("routing", () => {
  it.each([
    ["local, with a provider: local answer, judged afterwards", "local" as const, provider, "router-local", true],
    ["router failed: local answer, nothing to judge", null, provider, "router-local", false],
    ["local, no provider: nothing to escalate to, so no judging", "local" as const, null, "router-local", false],
    ["cloud, no provider: local answer that says so", "cloud" as const, null, "no-provider", false],
  ])("%s", (_name, target, prov, code, judge) => {
    const { state, effects } = step(start({ provider: prov }).state, routed(target));
    const s = as(state, "generating");
    expect(s.judge).toBe(judge);
    expect(s.attempts[0]!.reason.code).toBe(code);
    expect(effects.at(-1)).toMatchObject({ type: "generate-local", collectConfidence: judge });
    expect(s.router).toEqual(target ? decision(target) : null);
  });

  it("cloud with a provider: a proposal is built", () => {
    const { state, effects } = step(start().state, routed("cloud"));
    expect(as(state, "proposing")).toMatchObject({ purpose: "route", mode: "auto", standing: null });
    expect(effects.at(-1)).toMatchObject({ type: "propose", purpose: "route", provider, router: decision("cloud") });
  });

  it("the router's reasons name the local answer", () => {
    const s = drive(start().state, routed("local"));
    expect(s.attempts[0]!.reason.text).toBe("Router: short question");
    expect(drive(start().state, routed(null)).attempts[0]!.reason.text).toBe("The local model is enough for this");
  });
});

describe("proposing", () => {
  it("Ask waits for the user with the proposal", () => {
    const { state, effects } = step(step(start({ mode: "ask" }).state, routed("cloud")).state, proposed());
    expect(as(state, "awaiting-approval").proposal.id).toBe("prop-1");
    expect(types(effects)).toEqual(["save:now", "emit:approval-requested"]);
  });

  it("Auto sends at once, saying the router chose", () => {
    const { state, effects } = step(states["proposing route"](), proposed());
    const s = as(state, "generating");
    expect(s.attempts[0]).toMatchObject({ target: "cloud", provider, model: "OpenAI gpt-test", reason: { code: "router-cloud", text: "Router: multi-step math" } });
    expect(effects.at(-1)).toMatchObject({ type: "generate-cloud", attemptId: "t1.1", proposal: { id: "prop-1" } });
  });

  it("Auto asks when the redactor doubts, unless the user turned asking off", () => {
    const doubts = [{ reason: "credential" as const, note: "a password-like value", messageIndex: 0 }];
    const asked = as(step(states["proposing route"](), proposed({ doubts })).state, "awaiting-approval");
    expect(asked.proposal.askedBecauseUnsure).toBe(true);
    const sent = step(drive(start({ askWhenUnsure: false }).state, routed("cloud")), proposed({ doubts })).state;
    expect(sent.phase).toBe("generating");
  });

  it("the user's cloud choice in Auto is labelled as theirs", () => {
    const s = drive(start({ forced: "cloud" }).state, proposed());
    expect(s.attempts[0]!.reason).toEqual({ code: "user-cloud", text: "You asked for the cloud" });
  });

  it("a failed proposal fails the turn (route), keeps the local answer (cascade), or keeps the old proposal (revise)", () => {
    const error = { code: "INTERNAL" as const, message: "redactor broke", retryable: false };
    const failed = step(states["proposing route"](), { type: "propose-failed", at: at(), error });
    expect(failed.state).toMatchObject({ phase: "failed", answerId: null, error });
    const kept = step(states["proposing cascade"](), { type: "propose-failed", at: at(), error });
    expect(kept.state).toMatchObject({ phase: "done", answerId: "t1.1" });
    const back = step(states["proposing revise"](), { type: "propose-failed", at: at(), error });
    expect(as(back.state, "awaiting-approval").proposal.id).toBe("prop-1");
    expect(types(back.effects)).toEqual(["save:now", "emit:approval-refused", "emit:approval-requested"]);
  });

  it("a revision replaces the proposal and stays Auto's question when Auto asked", () => {
    const doubts = [{ reason: "credential" as const, note: "n", messageIndex: 0 }];
    const asked = drive(start().state, routed("cloud"), proposed({ doubts }));
    const revising = step(asked, { type: "edit", at: at(), proposalId: "prop-1", payload: [{ role: "user", content: "edited" }] });
    expect(revising.effects.at(-1)).toMatchObject({ type: "propose", purpose: "revise", edited: [{ role: "user", content: "edited" }] });
    const revised = as(step(revising.state, proposed({ id: "prop-2" })).state, "awaiting-approval");
    expect(revised.proposal).toMatchObject({ id: "prop-2", askedBecauseUnsure: true });
  });
});

describe("awaiting approval and confirming", () => {
  it("approve checks the request body before anything is sent", () => {
    const { state, effects } = step(states["awaiting plain"](), { type: "approve", at: at(), proposalId: "prop-1" });
    expect(state.phase).toBe("confirming");
    expect(types(effects)).toEqual(["save:now", "check-request"]);
  });

  it("an unchanged body sends: the answer says it was approved", () => {
    const { state, effects } = step(states["confirming plain"](), { type: "request-checked", at: at(), proposalId: "prop-1", outcome: { kind: "unchanged" } });
    expect(as(state, "generating").attempts[0]).toMatchObject({ target: "cloud", reason: { code: "approved", text: "Router: multi-step math (approved)" } });
    expect(types(effects)).toEqual(["save:now", "emit:approval-resolved", "emit:attempt-started", "generate-cloud"]);
  });

  it("a changed body is not sent: the renewed proposal waits, and the user is told why", () => {
    const renewed = proposal({ id: "prop-2" });
    const { state, effects } = step(states["confirming plain"](), { type: "request-checked", at: at(), proposalId: "prop-1", outcome: { kind: "renewed", proposal: renewed } });
    expect(as(state, "awaiting-approval").proposal.id).toBe("prop-2");
    expect(effects).toContainEqual({ type: "emit", notice: expect.objectContaining({ type: "approval-refused", error: expect.objectContaining({ code: "EGRESS_BLOCKED" }) }) });
  });

  it("a refused send leaves the proposal waiting", () => {
    const error = { code: "NO_PROVIDER" as const, message: "That cloud provider was removed.", retryable: false };
    const { state } = step(states["confirming plain"](), { type: "request-checked", at: at(), proposalId: "prop-1", outcome: { kind: "refused", error } });
    expect(as(state, "awaiting-approval").proposal.id).toBe("prop-1");
  });

  it("reject answers locally, as the user chose", () => {
    const { state, effects } = step(states["awaiting plain"](), { type: "reject", at: at(), proposalId: "prop-1" });
    expect(as(state, "generating").attempts[0]).toMatchObject({ target: "local", reason: { code: "user-local" } });
    expect(effects.at(-1)).toMatchObject({ type: "generate-local", collectConfidence: false });
  });

  it("a cascade proposal: reject keeps the local answer, approve sends a cascade attempt that falls back to it", () => {
    const kept = step(states["awaiting cascade"](), { type: "reject", at: at(), proposalId: "prop-1" });
    expect(kept.state).toMatchObject({ phase: "done", answerId: "t1.1" });
    const sent = as(step(states["confirming cascade"](), { type: "request-checked", at: at(), proposalId: "prop-1", outcome: { kind: "unchanged" } }).state, "generating");
    expect(sent).toMatchObject({ attemptId: "t1.2", fallback: "t1.1" });
    expect(sent.attempts[1]).toMatchObject({ kind: "cascade", follows: "t1.1", target: "cloud", reason: { code: "approved" } });
  });

  it("a proposal the conversation moved past: a cascade's local answer stands; a plain one ends unanswered", () => {
    expect(step(states["awaiting cascade"](), { type: "superseded", at: at() }).state).toMatchObject({ phase: "done", answerId: "t1.1" });
    expect(step(states["awaiting plain"](), { type: "superseded", at: at() }).state).toMatchObject({ phase: "interrupted", cause: "superseded", answerId: null });
  });
});

describe("generating", () => {
  it("deltas accumulate, are saved in batches and told to clients; empty deltas do nothing", () => {
    const s0 = drive(start().state, routed("local"));
    const r = step(s0, text("t1.1", "Once"));
    expect(r.state.attempts[0]!.text).toBe("Once");
    expect(types(r.effects)).toEqual(["save:batched", "emit:text-delta"]);
    const r2 = step(r.state, part("t1.1", { type: "reasoning-delta", text: "hmm" }));
    expect(r2.state.attempts[0]).toMatchObject({ text: "Once", reasoning: "hmm" });
    expect(step(r2.state, text("t1.1", "")).effects).toEqual([]);
    const r3 = step(r2.state, part("t1.1", { type: "usage", inputTokens: 12, outputTokens: 3 }));
    expect(r3.state.attempts[0]!.usage).toEqual({ inputTokens: 12, outputTokens: 3 });
  });

  it("a finished answer ends the turn; a cut-off one says so", () => {
    const stats = { timeToFirstTokenMs: 5, tokensPerSecond: 10, outputTokens: 3, evaluatedInputTokens: 9 };
    const { state, effects } = step(drive(start({ mode: "local" }).state, text("t1.1", "Hi")), finish("t1.1", { reason: "length", stats }));
    expect(state).toMatchObject({ phase: "done", answerId: "t1.1", note: null });
    expect(state.attempts[0]).toMatchObject({ status: "complete", finish: "length", stats, text: "Hi" });
    expect(types(effects)).toEqual(["save:now", "emit:attempt-ended", "emit:turn-ended"]);
  });

  it("a local answer the router chose is judged when it comes with confidences", () => {
    const { state, effects } = step(states["generating local"](), finish("t1.1", { confidences: [0.5, 0.9] }));
    expect(as(state, "judging").attemptId).toBe("t1.1");
    expect(effects.at(-1)).toEqual({ type: "judge", attemptId: "t1.1", confidences: [0.5, 0.9] });
    expect(step(states["generating local"](), finish("t1.1")).state.phase).toBe("done");
  });

  it("a local failure fails the turn, keeping the partial answer as the failed attempt", () => {
    const s = as(states.failed(), "failed");
    expect(s).toMatchObject({ answerId: "t1.1", error: { code: "GENERATION_FAILED" } });
    expect(s.attempts[0]).toMatchObject({ status: "error", text: "Once" });
  });

  it("a cloud failure fails over to a new local attempt; the cloud's partial text stays as its own attempt", () => {
    const { state, effects } = step(states["generating cloud"](), fail("t1.1"));
    const s = as(state, "generating");
    expect(s.attempts[0]).toMatchObject({ id: "t1.1", target: "cloud", status: "error", text: "Partial cloud", error: { code: "PROVIDER_RATE_LIMIT" } });
    expect(s.attempts[1]).toMatchObject({ id: "t1.2", kind: "failover", target: "local", follows: "t1.1", reason: { code: "failover", text: "OpenAI failed (rate limited) — answered locally" } });
    expect(s).toMatchObject({ attemptId: "t1.2", judge: false });
    expect(types(effects)).toEqual(["save:now", "emit:attempt-ended", "emit:attempt-started", "generate-local"]);
  });

  it("a cascade's cloud failure puts the local answer back", () => {
    const { state } = step(states["generating cascade cloud"](), fail("t1.2"));
    expect(state).toMatchObject({ phase: "done", answerId: "t1.1", note: "OpenAI failed (rate limited) — kept the local answer" });
    expect(state.attempts[1]).toMatchObject({ status: "error", text: "Better" });
  });

  it("a stream part of another attempt is stale and changes nothing", () => {
    const s = states["generating failover"]();
    const result = next(s, text("t1.1", "late cloud bytes"));
    expect(result).toMatchObject({ ok: false, error: { code: "stale-event" } });
    expect(result.state).toBe(s);
  });

  it("a finish with an abort the user did not ask for reads as a stop", () => {
    expect(step(states["generating local"](), finish("t1.1", { reason: "abort" })).state).toMatchObject({ phase: "interrupted", cause: "stopped" });
  });
});

describe("judging", () => {
  it("an unsure answer in Auto is proposed for the cloud with the verdict as the reason", () => {
    const { state, effects } = step(states.judging(), judged("t1.1", true));
    expect(as(state, "proposing")).toMatchObject({ purpose: "cascade", standing: "t1.1" });
    expect(effects.at(-1)).toMatchObject({ type: "propose", purpose: "cascade", replacesAttemptId: "t1.1", router: { target: "cloud", reasons: ["part of the local answer looks like a guess"] } });
    const effect = effects.at(-1);
    const router = effect?.type === "propose" ? effect.router : null;
    const sent = as(step(state, proposed({ router })).state, "generating");
    expect(sent.attempts[1]).toMatchObject({ kind: "cascade", reason: { code: "cascade", text: "Sent to the cloud after a local answer: part of the local answer looks like a guess" } });
  });

  it.each([
    ["a sure answer", false, { mode: "auto" as const, provider }],
    ["the conversation turned Local only meanwhile", true, { mode: "local" as const, provider }],
    ["the provider went meanwhile", true, { mode: "auto" as const, provider: null }],
  ])("%s: the local answer stands", (_name, escalate, cloud) => {
    expect(step(states.judging(), judged("t1.1", escalate, cloud)).state).toMatchObject({ phase: "done", answerId: "t1.1" });
  });
});

describe("stop", () => {
  it.each([
    ["routing", { phase: "interrupted", cause: "stopped", answerId: null }],
    ["proposing route", { phase: "interrupted", cause: "stopped", answerId: null }],
    ["proposing cascade", { phase: "done", answerId: "t1.1" }],
    ["proposing revise", { phase: "awaiting-approval" }],
    ["confirming plain", { phase: "awaiting-approval" }],
    ["generating local", { phase: "interrupted", cause: "stopped", answerId: "t1.1" }],
    ["generating cloud", { phase: "interrupted", cause: "stopped", answerId: "t1.1" }],
    ["generating failover", { phase: "interrupted", cause: "stopped", answerId: "t1.2" }],
    ["generating cascade cloud", { phase: "done", answerId: "t1.1", note: "You stopped the cloud answer — kept the local answer" }],
    ["judging", { phase: "done", answerId: "t1.1" }],
  ] as const)("in %s", (name, expected) => {
    const { state, effects } = step(states[name](), stop());
    expect(state).toMatchObject(expected);
    if (name.startsWith("generating")) {
      expect(effects[0]).toEqual({ type: "abort", attemptId: (states[name]() as StateOf<"generating">).attemptId });
      const ended = state.attempts.find((a) => a.id === (states[name]() as StateOf<"generating">).attemptId)!;
      expect(ended).toMatchObject({ status: "stopped", finish: "abort" });
      expect(ended.text.length).toBeGreaterThan(0);
    }
  });
});

describe("halt (the runner cannot go on: the disk is full)", () => {
  it.each([
    ["routing", null],
    ["proposing route", null],
    ["awaiting cascade", "t1.1"],
    ["generating cloud", "t1.1"],
    ["judging", "t1.1"],
  ] as const)("in %s the turn fails with the error", (name, answerId) => {
    const { state, effects } = step(states[name](), halt());
    expect(state).toMatchObject({ phase: "failed", answerId, error: { code: "DISK_FULL" } });
    if (name === "generating cloud") {
      expect(effects[0]).toEqual({ type: "abort", attemptId: "t1.1" });
      expect(state.attempts[0]!.status).toBe("error");
    }
  });
});

describe("events that do not apply are refused with a typed error and the state kept", () => {
  const cases: Array<[keyof typeof states, () => TurnEvent, "invalid-event" | "stale-event"]> = [
    ["routing", () => ({ type: "approve", at: at(), proposalId: "prop-1" }), "invalid-event"],
    ["routing", () => proposed(), "stale-event"],
    ["routing", () => text("t1.1", "x"), "stale-event"],
    ["generating local", () => routed("cloud"), "stale-event"],
    ["generating local", () => ({ type: "superseded", at: at() }), "invalid-event"],
    ["awaiting plain", () => ({ type: "approve", at: at(), proposalId: "other" }), "stale-event"],
    ["awaiting plain", () => ({ type: "reject", at: at(), proposalId: "other" }), "stale-event"],
    ["awaiting plain", stop, "invalid-event"],
    ["confirming plain", () => ({ type: "request-checked", at: at(), proposalId: "other", outcome: { kind: "unchanged" } }), "stale-event"],
    ["confirming plain", () => ({ type: "approve", at: at(), proposalId: "prop-1" }), "invalid-event"],
    ["judging", () => judged("t1.9", true), "stale-event"],
    ["judging", () => finish("t1.1"), "stale-event"],
    ["done", stop, "invalid-event"],
    ["done", halt, "invalid-event"],
    ["failed", () => text("t1.1", "x"), "stale-event"],
    ["interrupted", () => ({ type: "reject", at: at(), proposalId: "prop-1" }), "invalid-event"],
    ["interrupted", () => judged("t1.1", false), "stale-event"],
  ];
  it.each(cases)("%s refuses %s", (name, event, code) => {
    const state = states[name]();
    const e = event();
    const result = next(state, e);
    expect(result).toMatchObject({ ok: false, error: { code, phase: state.phase, event: e.type } });
    expect(result.state).toBe(state);
    expect(typeof (result as { error: { message: string } }).error.message).toBe("string");
  });
});

describe("recover: what a persisted state means after a kill", () => {
  it.each([
    ["routing", { phase: "interrupted", cause: "crash", answerId: null }],
    ["proposing route", { phase: "interrupted", cause: "crash", answerId: null }],
    ["proposing cascade", { phase: "done", answerId: "t1.1" }],
    ["proposing revise", { phase: "awaiting-approval", proposal: { id: "prop-1" } }],
    ["awaiting plain", { phase: "awaiting-approval", proposal: { id: "prop-1" }, standing: null }],
    ["awaiting cascade", { phase: "awaiting-approval", standing: "t1.1" }],
    ["confirming plain", { phase: "awaiting-approval", proposal: { id: "prop-1" } }],
    ["generating local", { phase: "interrupted", cause: "crash", answerId: "t1.1" }],
    ["generating cloud", { phase: "interrupted", cause: "crash", answerId: "t1.1" }],
    ["generating failover", { phase: "interrupted", cause: "crash", answerId: "t1.2" }],
    ["generating cascade cloud", { phase: "done", answerId: "t1.1" }],
    ["judging", { phase: "done", answerId: "t1.1" }],
    ["done", { phase: "done" }],
    ["failed", { phase: "failed" }],
    ["interrupted", { phase: "interrupted", cause: "stopped" }],
  ] as const)("killed in %s", (name, expected) => {
    const before = states[name]();
    const reopened = parseTurnState(JSON.parse(JSON.stringify(before)))!;
    const result = recover(reopened, at());
    expect(result.ok).toBe(true);
    expect(persisted(result.state)).toMatchObject(expected);
    // Partial text is never lost; nothing is left streaming; nothing is started or sent by itself.
    for (const [i, attempt] of result.state.attempts.entries()) {
      expect(attempt.text).toBe(before.attempts[i]!.text);
      expect(attempt.status).not.toBe("streaming");
    }
    if (!result.ok) return;
    expect(types(result.effects).filter((t) => ["generate-local", "generate-cloud", "route", "propose", "check-request", "judge"].includes(t))).toEqual([]);
    if (name.startsWith("generating")) {
      const attemptId = (before as StateOf<"generating">).attemptId;
      expect(result.state.attempts.find((a) => a.id === attemptId)!.status).toBe("interrupted");
    }
  });

  it("a damaged or foreign row is refused, not half-used", () => {
    expect(parseTurnState({ ...states.done(), version: 2 })).toBeNull();
    expect(parseTurnState({ ...states.done(), phase: "exploded" })).toBeNull();
    expect(parseTurnState("not a turn")).toBeNull();
    const { answerId: _dropped, ...noAnswer } = states.done() as StateOf<"done">;
    expect(parseTurnState(noAnswer)).toBeNull();
  });
});
