import { describe, expect, it } from "vitest";
import { AppError, type EscalationProposal } from "../../../contract/index.js";
import type { StreamPart } from "./stream-parts.js";
import { decision, proposal, provider, turnInput } from "../../../../test/fixtures/turn-fixtures.js";
import type { CloudGeneration, Judgement, LocalGeneration, ProposeRequest, TurnPorts } from "./turn-ports.js";
import { TurnRunner } from "./turn-runner.js";
import { parseTurnState, type StateOf, type TurnInput, type TurnState } from "./turn-schema.js";
import type { RequestCheck, TurnNotice } from "./turn-types.js";

type Gate = { promise: Promise<void>; open: () => void };
function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

type Step = StreamPart | { wait: Gate } | { throws: unknown };
type GenLog = { started: number; ended: number; signals: AbortSignal[]; requests: unknown[] };

/**
 * A scripted generator. On abort it behaves like the real ones: the local engine finishes with "abort", the cloud
 * throws ABORTED.
 */
function scripted(steps: () => Step[], onAbort: "finish" | "throw", log: GenLog) {
  return async function* (request: unknown, signal: AbortSignal): AsyncGenerator<StreamPart> {
    log.started += 1;
    log.signals.push(signal);
    log.requests.push(request);
    try {
      for (const step of steps()) {
        if ("wait" in step) {
          await Promise.race([step.wait.promise, new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }))]);
        } else if ("throws" in step) {
          throw step.throws;
        } else {
          yield step;
        }
        if (signal.aborted) {
          if (onAbort === "throw") throw new AppError("ABORTED", "Stopped.");
          yield { type: "finish", reason: "abort", stats: null };
          return;
        }
      }
    } finally {
      // Lets the test see that the generator let go (the engine lock is released) before `settled` resolves.
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.ended += 1;
    }
  };
}

const stop: StreamPart = { type: "finish", reason: "stop", stats: null };
const t = (text: string): StreamPart => ({ type: "text-delta", text });

type HarnessOptions = {
  local?: () => Step[];
  cloud?: () => Step[];
  route?: TurnPorts["route"];
  propose?: (request: ProposeRequest) => Promise<EscalationProposal>;
  check?: () => RequestCheck;
  judge?: () => Judgement;
  save?: (state: TurnState) => void;
  onNotice?: (notice: TurnNotice, runner: () => TurnRunner) => void;
};

function harness(options: HarnessOptions = {}) {
  const saves: TurnState[] = [];
  const notices: TurnNotice[] = [];
  const proposeCalls: ProposeRequest[] = [];
  const local: GenLog = { started: 0, ended: 0, signals: [], requests: [] };
  const cloud: GenLog = { started: 0, ended: 0, signals: [], requests: [] };
  let runner: TurnRunner | null = null;
  let proposals = 0;
  const ports: TurnPorts = {
    save: (state) => {
      options.save?.(state);
      saves.push(JSON.parse(JSON.stringify(state)) as TurnState);
    },
    emit: (notice) => {
      notices.push(notice);
      options.onNotice?.(notice, () => runner!);
    },
    route: options.route ?? (() => decision("cloud")),
    propose: async (request) => {
      proposeCalls.push(request);
      if (options.propose) return options.propose(request);
      proposals += 1;
      return proposal({ id: `prop-${proposals}`, router: request.router, ...(request.edited ? { payload: request.edited } : {}) });
    },
    checkRequest: options.check ?? (() => ({ kind: "unchanged" })),
    judge: options.judge ?? (() => ({ verdict: { escalate: false, reason: null }, cloud: { mode: "auto", provider } })),
    generateLocal: scripted(options.local ?? (() => [t("Once "), t("upon"), stop]), "finish", local) as (r: LocalGeneration, s: AbortSignal) => AsyncIterable<StreamPart>,
    generateCloud: scripted(options.cloud ?? (() => [t("Cloud "), t("answer"), stop]), "throw", cloud) as (r: CloudGeneration, s: AbortSignal) => AsyncIterable<StreamPart>,
  };
  const start = (input: Partial<TurnInput> = {}, saveEveryMs = 0) => {
    const started = TurnRunner.start(ports, turnInput(input), { saveEveryMs });
    if (!started.ok) throw new Error(started.error.message);
    runner = started.runner;
    return started.runner;
  };
  const resume = (state: TurnState) => {
    runner = TurnRunner.resume(ports, state, { saveEveryMs: 0 });
    return runner;
  };
  return { ports, saves, notices, proposeCalls, local, cloud, start, resume };
}

const phases = (saves: TurnState[]) => saves.map((s) => s.phase).filter((p, i, all) => p !== all[i - 1]);
const summary = (state: TurnState) => state.attempts.map((a) => `${a.kind}:${a.target}:${a.status}:${a.text}`);

describe("turn runner with fake generators", () => {
  it("a local answer: streamed, persisted, told to clients", async () => {
    const h = harness();
    const end = await h.start({ mode: "local" }).settled();
    expect(end).toMatchObject({ phase: "done", answerId: "t1.1" });
    expect(summary(end)).toEqual(["answer:local:complete:Once upon"]);
    expect(h.saves.at(-1)).toEqual(end);
    expect(h.notices.map((n) => n.type)).toEqual(["attempt-started", "text-delta", "text-delta", "attempt-ended", "turn-ended"]);
    expect(h.local.ended).toBe(1);
    expect(h.cloud.started).toBe(0);
  });

  it("Ask, approved: the proposal waits, then the cloud answers", async () => {
    const h = harness();
    const runner = h.start({ mode: "ask" });
    const waiting = await runner.settled();
    expect(waiting.phase).toBe("awaiting-approval");
    expect(h.cloud.started).toBe(0);
    expect(runner.dispatch({ type: "approve", proposalId: "prop-1" })).toMatchObject({ ok: true });
    const end = await runner.settled();
    expect(end).toMatchObject({ phase: "done", answerId: "t1.1" });
    expect(summary(end)).toEqual(["answer:cloud:complete:Cloud answer"]);
    expect(end.attempts[0]!.reason.text).toBe("Router: multi-step math (approved)");
    expect((h.cloud.requests[0] as CloudGeneration).proposal.id).toBe("prop-1");
    expect(phases(h.saves)).toEqual(["routing", "proposing", "awaiting-approval", "confirming", "generating", "done"]);
  });

  it("Ask, rejected: the local model answers and nothing is sent", async () => {
    const h = harness();
    const runner = h.start({ mode: "ask" });
    await runner.settled();
    runner.dispatch({ type: "reject", proposalId: "prop-1" });
    const end = await runner.settled();
    expect(summary(end)).toEqual(["answer:local:complete:Once upon"]);
    expect(end.attempts[0]!.reason.code).toBe("user-local");
    expect(h.cloud.started).toBe(0);
  });

  it("Ask, edited then approved: what is sent is the revised proposal", async () => {
    const h = harness();
    const runner = h.start({ mode: "ask" });
    await runner.settled();
    runner.dispatch({ type: "edit", proposalId: "prop-1", payload: [{ role: "user", content: "shorter question" }] });
    const revised = await runner.settled();
    expect((revised as StateOf<"awaiting-approval">).proposal.id).toBe("prop-2");
    expect(h.proposeCalls[1]).toMatchObject({ purpose: "revise", edited: [{ role: "user", content: "shorter question" }] });
    expect(runner.dispatch({ type: "approve", proposalId: "prop-1" })).toMatchObject({ ok: false, error: { code: "stale-event" } });
    runner.dispatch({ type: "approve", proposalId: "prop-2" });
    await runner.settled();
    expect((h.cloud.requests[0] as CloudGeneration).proposal.payload).toEqual([{ role: "user", content: "shorter question" }]);
  });

  it("Auto: the router's cloud choice is sent at once", async () => {
    const h = harness();
    const end = await h.start({ mode: "auto" }).settled();
    expect(summary(end)).toEqual(["answer:cloud:complete:Cloud answer"]);
    expect(end.attempts[0]!.reason).toEqual({ code: "router-cloud", text: "Router: multi-step math" });
  });

  it("a cloud failure mid-stream fails over locally; the partial cloud text is kept as its own attempt", async () => {
    const failure = new AppError("PROVIDER_TIMEOUT", "OpenAI stopped answering for 30 s; the request was ended.", { retryable: true });
    const h = harness({ cloud: () => [t("Half an "), t("answ"), { throws: failure }] });
    const end = await h.start().settled();
    expect(end).toMatchObject({ phase: "done", answerId: "t1.2" });
    expect(summary(end)).toEqual(["answer:cloud:error:Half an answ", "failover:local:complete:Once upon"]);
    expect(end.attempts[0]!.error).toEqual(failure.toJSON());
    expect(end.attempts[1]).toMatchObject({ follows: "t1.1", reason: { text: `OpenAI failed (${failure.message}) — answered locally` } });
  });

  it("a generator that ends without a finish fails over like an error", async () => {
    const h = harness({ cloud: () => [t("cut")] });
    const end = await h.start().settled();
    expect(end.attempts[0]).toMatchObject({ status: "error", error: { code: "GENERATION_FAILED" } });
    expect(end.attempts[1]!.kind).toBe("failover");
  });

  it("cascade, sure answer: the local answer is kept", async () => {
    const h = harness({ route: () => decision("local"), local: () => [t("Sure."), { type: "finish", reason: "stop", stats: null, confidences: [0.9, 0.95] }] });
    const end = await h.start().settled();
    expect(end).toMatchObject({ phase: "done", answerId: "t1.1" });
    expect((h.local.requests[0] as LocalGeneration).collectConfidence).toBe(true);
    expect(phases(h.saves)).toEqual(["routing", "generating", "judging", "done"]);
  });

  it("cascade, unsure answer in Auto: escalated; both answers kept as attempts", async () => {
    const h = harness({
      route: () => decision("local"),
      local: () => [t("Maybe 41?"), { type: "finish", reason: "stop", stats: null, confidences: [0.1, 0.2, 0.1, 0.2] }],
      judge: () => ({ verdict: { escalate: true, reason: "the local answer looks unsure" }, cloud: { mode: "auto", provider } }),
    });
    const end = await h.start().settled();
    expect(end).toMatchObject({ phase: "done", answerId: "t1.2" });
    expect(summary(end)).toEqual(["answer:local:complete:Maybe 41?", "cascade:cloud:complete:Cloud answer"]);
    expect(h.proposeCalls[0]).toMatchObject({ purpose: "cascade", replacesAttemptId: "t1.1" });
  });

  it("cascade, the cloud fails: the local answer stands again", async () => {
    const h = harness({
      route: () => decision("local"),
      local: () => [t("Maybe."), { type: "finish", reason: "stop", stats: null, confidences: [0.1] }],
      judge: () => ({ verdict: { escalate: true, reason: "unsure" }, cloud: { mode: "auto", provider } }),
      cloud: () => [t("Par"), { type: "error", error: { code: "PROVIDER_HTTP", message: "HTTP 500", retryable: true } }],
    });
    const end = await h.start().settled();
    expect(end).toMatchObject({ phase: "done", answerId: "t1.1", note: "OpenAI failed (HTTP 500) — kept the local answer" });
    expect(h.local.started).toBe(1);
  });

  it("failing ports never lose the turn: router → local answer, judge → answer kept, proposal → failed turn", async () => {
    const routeFails = harness({ route: () => Promise.reject(new Error("router model missing")) });
    expect(summary(await routeFails.start().settled())).toEqual(["answer:local:complete:Once upon"]);
    const judgeFails = harness({ route: () => decision("local"), local: () => [t("x"), { type: "finish", reason: "stop", stats: null, confidences: [0.1] }], judge: () => { throw new Error("boom"); } });
    expect(await judgeFails.start().settled()).toMatchObject({ phase: "done", answerId: "t1.1" });
    const proposeFails = harness({ propose: () => Promise.reject(new AppError("INTERNAL", "could not build the request body")) });
    expect(await proposeFails.start().settled()).toMatchObject({ phase: "failed", answerId: null, error: { code: "INTERNAL" } });
  });

  it("a save that fails (the disk is full) stops the generation and fails the turn with that error", async () => {
    const hold = gate();
    let fail = false;
    const h = harness({
      local: () => [t("Once "), t("more"), { wait: hold }, t("never"), stop],
      save: () => {
        if (fail) throw new AppError("DISK_FULL", "The disk is full.", { retryable: true });
      },
      onNotice: (notice) => {
        if (notice.type === "text-delta") fail = true;
      },
    });
    const runner = h.start({ mode: "local" }, 0);
    const end = await runner.settled();
    expect(end).toMatchObject({ phase: "failed", error: { code: "DISK_FULL" } });
    expect(h.local.signals[0]!.aborted).toBe(true);
    expect(h.local.ended).toBe(1);
    expect(end.attempts[0]).toMatchObject({ status: "error", text: "Once more" });
  });

  it("deltas are saved in batches, and a stream that goes quiet still gets its text on disk", async () => {
    const hold = gate();
    const h = harness({ local: () => [t("a"), t("b"), t("c"), { wait: hold }, stop] });
    const runner = h.start({ mode: "local" }, 40);
    await new Promise((resolve) => setTimeout(resolve, 120));
    const generating = h.saves.filter((s) => s.phase === "generating");
    // The start, then one timed save for the three deltas (not one per delta).
    expect(generating.length).toBe(2);
    expect(generating.at(-1)!.attempts[0]!.text).toBe("abc");
    hold.open();
    await runner.settled();
  });

  it("a listener that stops the turn from inside a notice is queued, not run mid-step", async () => {
    const h = harness({
      local: () => [t("one"), t("two"), stop],
      onNotice: (notice, runner) => {
        if (notice.type === "text-delta") expect(runner().stop()).toBeNull();
      },
    });
    const end = await h.start({ mode: "local" }).settled();
    expect(end).toMatchObject({ phase: "interrupted", cause: "stopped" });
    expect(summary(end)).toEqual(["answer:local:stopped:one"]);
  });
});

describe("stop before anything is generated", () => {
  it("a stop while the router or the proposal is still working: their late answers are ignored, nothing starts", async () => {
    for (const slow of ["route", "propose"] as const) {
      const hold = gate();
      const h = harness({
        ...(slow === "route" ? { route: async () => (await hold.promise, decision("cloud")) } : {}),
        ...(slow === "propose" ? { propose: async () => (await hold.promise, proposal()) } : {}),
      });
      const runner = h.start();
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(runner.stop()).toMatchObject({ ok: true, state: { phase: "interrupted", cause: "stopped", answerId: null } });
      const settled = runner.settled();
      hold.open();
      expect(await settled).toMatchObject({ phase: "interrupted" });
      expect(h.local.started + h.cloud.started).toBe(0);
      expect(runner.rejections.map((r) => r.code)).toEqual(["stale-event"]);
    }
  });

  it("a turn that cannot start says why, and nothing is saved", () => {
    const h = harness();
    expect(TurnRunner.start(h.ports, turnInput({ mode: "local", forced: "cloud" }))).toMatchObject({ ok: false, error: { code: "EGRESS_BLOCKED" } });
    expect(h.saves).toEqual([]);
  });
});

describe("stop during each generating state", () => {
  const unsure = { type: "finish" as const, reason: "stop" as const, stats: null, confidences: [0.1] };
  const cases: Array<[string, Partial<TurnInput>, HarnessOptions, string, TurnState["phase"], string[]]> = [
    ["local", { mode: "local" }, {}, "t1.1", "interrupted", ["answer:local:stopped:Once "]],
    ["cloud", {}, {}, "t1.1", "interrupted", ["answer:cloud:stopped:Cloud "]],
    ["failover", {}, { cloud: () => [{ type: "error", error: { code: "PROVIDER_HTTP", message: "500", retryable: true } }] }, "t1.2", "interrupted", ["answer:cloud:error:", "failover:local:stopped:Once "]],
    [
      "cascade cloud",
      {},
      { route: () => decision("local"), local: () => [t("Local"), unsure], judge: () => ({ verdict: { escalate: true, reason: "unsure" }, cloud: { mode: "auto", provider } }) },
      "t1.2",
      "done",
      ["answer:local:complete:Local", "cascade:cloud:stopped:Cloud "],
    ],
  ];
  it.each(cases)("%s", async (_name, input, options, attemptId, phase, attempts) => {
    const hold = gate();
    const h = harness({
      local: () => [t("Once "), { wait: hold }, t("never"), stop],
      cloud: () => [t("Cloud "), { wait: hold }, t("never"), stop],
      ...options,
    });
    const runner = h.start(input);
    await new Promise<void>((resolve) => {
      const poll = () => (runner.state.phase === "generating" && runner.state.attemptId === attemptId && runner.state.attempts.at(-1)!.text ? resolve() : setTimeout(poll, 2));
      poll();
    });
    expect(runner.stop()).toMatchObject({ ok: true });
    const end = await runner.settled();
    expect(end.phase).toBe(phase);
    expect(summary(end)).toEqual(attempts);
    // Settled only once every generator let go (for the engine: its lock is free for the next answer).
    expect(h.local.ended + h.cloud.ended).toBe(h.local.started + h.cloud.started);
    const stopped = runner.state.attempts.find((a) => a.id === attemptId)!;
    expect((stopped.target === "local" ? h.local : h.cloud).signals.at(-1)!.aborted).toBe(true);
    expect(runner.rejections.every((r) => r.code === "stale-event")).toBe(true);
  });
});

describe("resume after a kill in each persisted state", () => {
  /** Every distinct state a flow persisted: each is where a kill can leave the turn. */
  async function persistedStates(options: HarnessOptions, input: Partial<TurnInput>, act?: (runner: TurnRunner) => Promise<void>) {
    const h = harness(options);
    const runner = h.start(input);
    await runner.settled();
    if (act) await act(runner);
    return h.saves;
  }
  const unsure = { type: "finish" as const, reason: "stop" as const, stats: null, confidences: [0.1] };
  const escalate = () => ({ verdict: { escalate: true, reason: "unsure" }, cloud: { mode: "ask" as const, provider } });
  const flows: Array<[string, HarnessOptions, Partial<TurnInput>, ((runner: TurnRunner) => Promise<void>) | undefined]> = [
    ["auto cloud with failover", { cloud: () => [t("Half"), { type: "error", error: { code: "PROVIDER_HTTP", message: "500", retryable: true } }] }, {}, undefined],
    ["ask approve", {}, { mode: "ask" }, async (r) => { r.dispatch({ type: "approve", proposalId: "prop-1" }); await r.settled(); }],
    ["ask edit", {}, { mode: "ask" }, async (r) => { r.dispatch({ type: "edit", proposalId: "prop-1", payload: [{ role: "user", content: "e" }] }); await r.settled(); }],
    ["cascade in Ask, approved", { route: () => decision("local"), local: () => [t("Local"), unsure], judge: escalate }, { mode: "ask" }, async (r) => { r.dispatch({ type: "approve", proposalId: "prop-1" }); await r.settled(); }],
  ];

  it.each(flows)("%s", async (_name, options, input, act) => {
    const snapshots = await persistedStates(options, input, act);
    expect(snapshots.length).toBeGreaterThan(3);
    for (const snapshot of snapshots) {
      const reopened = parseTurnState(JSON.parse(JSON.stringify(snapshot)));
      expect(reopened).not.toBeNull();
      const h = harness(options);
      const runner = h.resume(reopened!);
      const end = await runner.settled();
      // Nothing starts by itself after a crash: no generation, no routing, no proposal, no send.
      expect(h.local.started + h.cloud.started + h.proposeCalls.length).toBe(0);
      expect(end.attempts.every((a) => a.status !== "streaming")).toBe(true);
      end.attempts.forEach((a, i) => expect(a.text).toBe(snapshot.attempts[i]!.text));
      const expected: Record<TurnState["phase"], TurnState["phase"][]> = {
        routing: ["interrupted"],
        proposing: ["interrupted", "awaiting-approval", "done"],
        "awaiting-approval": ["awaiting-approval"],
        confirming: ["awaiting-approval"],
        generating: ["interrupted", "done"],
        judging: ["done"],
        done: ["done"],
        failed: ["failed"],
        interrupted: ["interrupted"],
      };
      expect(expected[snapshot.phase]).toContain(end.phase);
      if (snapshot.phase === "generating") {
        const s = snapshot as StateOf<"generating">;
        expect(end.attempts.find((a) => a.id === s.attemptId)!.status).toBe("interrupted");
        expect(end.phase).toBe(s.fallback ? "done" : "interrupted");
      }
      if (end.phase === "awaiting-approval") {
        // The reopened proposal still works: approving it sends it.
        runner.dispatch({ type: "approve", proposalId: (end as StateOf<"awaiting-approval">).proposal.id });
        expect((await runner.settled()).phase).toBe("done");
        expect(h.cloud.started).toBe(1);
      } else if (!["done", "failed", "interrupted"].includes(snapshot.phase)) {
        expect(h.saves.at(-1)).toEqual(end);
      }
    }
  });
});
