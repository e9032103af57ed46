import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storiesModel } from "../../../../test/fixtures/paths.js";
import { Engine } from "../../engine/engine.js";
import { engineGenerator, type EngineCall } from "./engine-generator.js";
import type { StreamPart } from "./stream-parts.js";
import { decision, provider, turnInput } from "../../../../test/fixtures/turn-fixtures.js";
import type { JudgeRequest, TurnPorts } from "./turn-ports.js";
import { TurnRunner } from "./turn-runner.js";
import { parseTurnState, type TurnState } from "./turn-schema.js";
import type { TurnNotice } from "./turn-types.js";

const stories = { id: "stories", path: storiesModel, name: "stories260K" };
const prompt = "Once upon a time there was a little cat";

/**
 * The engine's request while the prompt moves to the context builder: the branch form (`prompt`) and the older
 * turns form are both given; the engine reads the one it knows.
 */
function callFor(maxOutputTokens: number): EngineCall {
  const call = {
    model: stories,
    conversationId: "c1",
    contextSize: 512,
    temperature: 0,
    maxOutputTokens,
    prompt: { systemPrompt: "", branch: [{ id: "u1", role: "user", content: prompt, reasoning: "", status: "complete" }] },
    systemPrompt: "",
    turns: [{ role: "user", content: prompt }],
  };
  return call as unknown as EngineCall;
}

describe("turn runner driving the real local engine (stories260K, 1 thread)", () => {
  let engine: Engine;
  beforeAll(() => {
    engine = new Engine({ threads: 1 });
  });
  afterAll(async () => {
    await engine.dispose();
  });

  function ports(maxOutputTokens: number, extra: Partial<TurnPorts> = {}) {
    const saves: TurnState[] = [];
    const notices: TurnNotice[] = [];
    const judged: JudgeRequest[] = [];
    const p: TurnPorts = {
      save: (state) => saves.push(JSON.parse(JSON.stringify(state)) as TurnState),
      emit: (notice) => notices.push(notice),
      route: () => decision("local"),
      propose: () => Promise.reject(new Error("no cloud in this test")),
      checkRequest: () => ({ kind: "unchanged" }),
      judge: (request) => {
        judged.push(request);
        return { verdict: { escalate: false, reason: null }, cloud: { mode: "auto", provider } };
      },
      generateLocal: engineGenerator(engine, () => callFor(maxOutputTokens)),
      generateCloud: async function* (): AsyncGenerator<StreamPart> {
        throw new Error("no cloud in this test");
      },
      ...extra,
    };
    return { ports: p, saves, notices, judged };
  }

  it("answers a turn: streamed deltas, the finish with stats, the whole answer persisted", async () => {
    const h = ports(24);
    const started = TurnRunner.start(h.ports, turnInput({ mode: "local" }), { saveEveryMs: 0 });
    if (!started.ok) throw new Error(started.error.message);
    const end = await started.runner.settled();
    expect(end).toMatchObject({ phase: "done", answerId: "t1.1" });
    const attempt = end.attempts[0]!;
    const deltas = h.notices.flatMap((n) => (n.type === "text-delta" ? [n.text] : []));
    expect(deltas.length).toBeGreaterThan(1);
    expect(attempt.text).toBe(deltas.join(""));
    expect(attempt).toMatchObject({ status: "complete", target: "local", model: "stories260K" });
    expect(["stop", "length"]).toContain(attempt.finish);
    expect(attempt.stats!.outputTokens).toBeGreaterThan(0);
    expect(attempt.usage!.outputTokens).toBe(attempt.stats!.outputTokens);
    expect(h.saves.at(-1)).toEqual(end);
  });

  it("a local answer the router chose carries one confidence per output token to the cascade's judge", async () => {
    const h = ports(16);
    const started = TurnRunner.start(h.ports, turnInput({ mode: "auto" }), { saveEveryMs: 0 });
    if (!started.ok) throw new Error(started.error.message);
    const end = await started.runner.settled();
    expect(end).toMatchObject({ phase: "done", answerId: "t1.1" });
    expect(h.judged).toHaveLength(1);
    expect(h.judged[0]!.confidences).toHaveLength(end.attempts[0]!.stats!.outputTokens);
    expect(h.judged[0]!.confidences.every((p) => p > 0 && p <= 1)).toBe(true);
  });

  it("stop mid-answer keeps the partial text; settled means the engine is free again; a kill mid-answer reopens interrupted", async () => {
    let runner: TurnRunner | null = null;
    let deltas = 0;
    const h = ports(400, {
      emit: (notice) => {
        if (notice.type === "text-delta" && ++deltas === 3) runner!.stop();
      },
    });
    const started = TurnRunner.start(h.ports, turnInput({ mode: "local" }), { saveEveryMs: 0 });
    if (!started.ok) throw new Error(started.error.message);
    runner = started.runner;
    const end = await runner.settled();
    expect(end).toMatchObject({ phase: "interrupted", cause: "stopped", answerId: "t1.1" });
    expect(end.attempts[0]!.status).toBe("stopped");
    expect(end.attempts[0]!.text.length).toBeGreaterThan(0);
    // The engine's lock was released: the next answer starts without waiting for the stopped one.
    const before = performance.now();
    await engine.generate({ ...callFor(2), signal: new AbortController().signal, onTextDelta: () => {}, onReasoningDelta: () => {} });
    expect(performance.now() - before).toBeLessThan(10_000);

    // A kill while the answer streamed: the last state persisted mid-answer reopens interrupted, its text kept.
    const midAnswer = h.saves.filter((s) => s.phase === "generating" && s.attempts[0]!.text.length > 0).at(-1)!;
    const reopened = parseTurnState(JSON.parse(JSON.stringify(midAnswer)))!;
    const resumed = TurnRunner.resume(ports(1).ports, reopened);
    const after = await resumed.settled();
    expect(after).toMatchObject({ phase: "interrupted", cause: "crash", answerId: "t1.1" });
    expect(after.attempts[0]).toMatchObject({ status: "interrupted", text: midAnswer.attempts[0]!.text });
  });
});
