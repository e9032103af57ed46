import fs from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { requestBodyOf, type EscalationProposal, type Message } from "../../electron/contract/index.js";
import type { TurnState } from "../../electron/core/chat/turn/turn-schema.js";
import { startFakeProvider, type FakeProviderServer } from "../fake-providers/fake-provider-server.js";
import { buildChildScript } from "../fixtures/build-child.js";
import { call } from "../fixtures/core-call.js";
import { crashIn, expectConsistent, reopen, type Crash, type PersistedTurn, type Reopened } from "../fixtures/turn-crash-harness.js";

/**
 * Every state of the turn engine that the tiny model and the fake provider can reach, killed (SIGKILL) while it is
 * on disk, then reopened on a fresh core: what the conversation shows, and that it works on. The child holds the
 * states that pass too fast (see test/fixtures/turn-crash-child.ts); the kill comes once the database shows the
 * state. What each kill left is printed as a table at the end (for the issue's closing note).
 */

const KEY = "sk-test-Crash0123456789abcdefKEY";
const CLOUD_REPLY = "The cloud's careful answer.";
// Long and slow: the cloud answer is still streaming when the child is killed.
const SLOW_REPLY = Array.from({ length: 60 }, (_, i) => `word${i}`).join(" ");

type Sent = { assistantMessageId: string | null; proposal: EscalationProposal | null };

let fast: FakeProviderServer;
let slow: FakeProviderServer;
let childScript: string;
const builtDirs: string[] = [];
const open: Reopened[] = [];
const table: Array<{ state: string; onDisk: string; left: string }> = [];

beforeAll(async () => {
  fast = await startFakeProvider({ wire: "openai", apiKey: KEY, reply: CLOUD_REPLY });
  slow = await startFakeProvider({ wire: "openai", apiKey: KEY, reply: SLOW_REPLY, eventDelayMs: 150 });
  childScript = await buildChildScript("test/fixtures/turn-crash-child.ts", builtDirs);
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.core.dispose()));
});

afterAll(async () => {
  await Promise.all([fast?.close(), slow?.close()]);
  for (const dir of builtDirs) fs.rmSync(dir, { recursive: true, force: true });
  if (table.length > 0) {
    console.log(["| state killed in | on disk at the kill | after the restart |", "|---|---|---|", ...table.map((r) => `| ${r.state} | ${r.onDisk} | ${r.left} |`)].join("\n"));
  }
});

const fastProvider = () => ({ baseUrl: fast.baseUrl, apiKey: KEY });
const slowProvider = () => ({ baseUrl: slow.baseUrl, apiKey: KEY });
const phase = (name: string, extra: (row: PersistedTurn) => boolean = () => true) => (rows: PersistedTurn[]) =>
  rows.some((row) => row.phase === name && extra(row));

/** Reopens the data folder; checks what every reopened conversation must show and notes what the kill left. */
async function afterRestart(state: string, crash: Crash, conversationIds: string[], requestsAtKill: () => number) {
  const reopened = await reopen(crash.dataDir);
  open.push(reopened);
  // The app came up without an error, even though turns were interrupted.
  expect(reopened.errors).toEqual([]);
  const shown: Message[][] = [];
  const pending: Array<EscalationProposal | null> = [];
  for (const conversationId of conversationIds) {
    shown.push(await expectConsistent(reopened, conversationId));
    pending.push((await call<{ proposal: EscalationProposal | null }>(reopened.core, "getPendingEscalation", { conversationId })).proposal);
  }
  // Only a turn that waits for the user's approval is still a turn; every other one is over.
  const turns = reopened.turns();
  for (const turn of turns) expect(turn.phase).toBe("awaiting-approval");
  expect(turns.length).toBe(pending.filter((p) => p !== null).length);
  // Nothing starts by itself: no generation resumes and nothing is sent.
  await new Promise((r) => setTimeout(r, 300));
  const resent = requestsAtKill();
  table.push({
    state,
    onDisk: conversationIds.map((id, i) => `${conversationIds.length > 1 ? `${i + 1}: ` : ""}${crash.persisted.filter((r) => r.state.input.conversationId === id).map(describeTurn).join(", ")}`).join("; "),
    left: shown
      .map((messages, i) => `${shown.length > 1 ? `${i + 1}: ` : ""}${messages.map(describeMessage).join(" → ")}${pending[i] ? " + proposal pending" : ""}`)
      .concat(`turns rows: ${turns.length === 0 ? "none" : turns.map((t) => t.phase).join(", ")}`, `requests sent after restart by itself: ${resent}`)
      .join("; "),
  });
  expect(resent).toBe(0);
  return { reopened, shown, pending };
}

function describeTurn(row: PersistedTurn): string {
  const { state } = row;
  const purpose = state.phase === "proposing" ? ` (${state.purpose})` : "";
  const attempts = state.attempts.map((a) => `${a.target} ${a.status} ${a.text.length} chars`).join(", ");
  return `${row.phase}${purpose}${attempts ? `: ${attempts}` : ""}`;
}

function describeMessage(m: Message): string {
  const who = m.role === "user" ? "user" : `${m.answeredBy?.kind ?? "?"} answer`;
  const versions = (m.versionIds?.length ?? 1) > 1 ? ` [${m.versionIds!.length} versions]` : "";
  return `${who} ${m.status}${versions}`;
}

/** The turn of a conversation as the kill left it on disk. */
function persistedOf(crash: Crash, conversationId: string): TurnState {
  const row = crash.persisted.find((r) => r.state.input.conversationId === conversationId);
  if (!row) throw new Error(`no turn of ${conversationId} on disk`);
  return row.state;
}

function proposalOf(crash: Crash, conversationId: string): EscalationProposal {
  const state = persistedOf(crash, conversationId);
  if (state.phase !== "awaiting-approval") throw new Error(`the turn of ${conversationId} was ${state.phase}`);
  return state.proposal;
}

/** Counts the requests a provider gets from now on. */
function counter(server: FakeProviderServer): () => number {
  const at = server.requests.length;
  return () => server.requests.length - at;
}

describe("a kill in each state of the turn engine leaves a conversation that reopens correctly", () => {
  it("routing: the turn is interrupted; the message stays without an answer; sending again works", async () => {
    const before = counter(fast);
    const crash = await crashIn(childScript, "routing", fastProvider(), phase("routing"));
    const conversationId = crash.line("ready").conversationId as string;
    const sinceKill = counter(fast);
    const { reopened, shown, pending } = await afterRestart("routing", crash, [conversationId], sinceKill);
    expect(shown[0]!.map((m) => [m.role, m.content])).toEqual([["user", "Hi"]]);
    expect(pending[0]).toBeNull();

    const again = await call<Sent>(reopened.core, "sendMessage", { conversationId, text: "Hi again" });
    expect((await reopened.finished(again.assistantMessageId!)).status).toBe("complete");
    const messages = await expectConsistent(reopened, conversationId);
    expect(messages.map((m) => m.role)).toEqual(["user", "user", "assistant"]);
    expect(before()).toBe(0);
  });

  it("proposing (route, Ask): interrupted, nothing pending or sent; (cascade, Auto): the local answer stands", async () => {
    const before = counter(fast);
    const purposes = (rows: PersistedTurn[]) => rows.flatMap((r) => (r.state.phase === "proposing" ? [r.state.purpose] : [])).sort().join();
    const crash = await crashIn(childScript, "proposing", fastProvider(), (rows) => purposes(rows) === "cascade,route");
    const { route, cascade } = crash.line("conversations") as unknown as { route: string; cascade: string };
    const local = persistedOf(crash, cascade).attempts[0]!;
    expect(local).toMatchObject({ target: "local", status: "complete" });
    const { reopened, shown, pending } = await afterRestart("proposing (1: route, Ask; 2: cascade, Auto)", crash, [route, cascade], counter(fast));
    expect(shown[0]!.map((m) => [m.role, m.content])).toEqual([["user", "Hi"]]);
    expect(shown[1]!.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(shown[1]!.at(-1)).toMatchObject({ id: local.id, status: "complete", content: local.text, answeredBy: { kind: "local" } });
    expect(pending).toEqual([null, null]);
    expect(before()).toBe(0);

    const again = await call<Sent>(reopened.core, "sendMessage", { conversationId: route, text: "Hi again", escalate: true });
    expect(again.proposal).not.toBeNull();
    expect(before()).toBe(0);
  });

  it("awaiting approval (Ask): the proposals still wait; Send sends exactly it, Keep local answers locally or keeps the cascade's answer", async () => {
    const before = counter(fast);
    const crash = await crashIn(childScript, "awaiting-approval", fastProvider(), (rows) => rows.filter((r) => r.phase === "awaiting-approval").length === 3);
    const { send: sendTo, keep: keepIn, cascade } = crash.line("conversations") as unknown as { send: string; keep: string; cascade: string };
    const [toSend, toKeep, cascaded] = [proposalOf(crash, sendTo), proposalOf(crash, keepIn), proposalOf(crash, cascade)];
    const local = persistedOf(crash, cascade).attempts[0]!;
    expect(cascaded.replacesMessageId).toBe(local.id);
    const { reopened, shown, pending } = await afterRestart("awaiting-approval (Ask; 1, 2: asked by hand; 3: cascade)", crash, [sendTo, keepIn, cascade], counter(fast));
    expect(pending).toEqual([toSend, toKeep, cascaded]);
    expect(shown[2]!.at(-1)).toMatchObject({ id: local.id, status: "complete", content: local.text });
    expect(before()).toBe(0);

    const sent = await call<{ assistantMessageId: string }>(reopened.core, "resolveEscalation", { conversationId: sendTo, proposalId: toSend.id, action: "send" });
    expect((await reopened.finished(sent.assistantMessageId)).status).toBe("complete");
    expect(before()).toBe(1);
    expect(fast.requests.at(-1)!.body).toBe(requestBodyOf(toSend));
    expect((await expectConsistent(reopened, sendTo)).at(-1)).toMatchObject({ content: CLOUD_REPLY, answeredBy: { kind: "cloud" } });

    const kept = await call<{ assistantMessageId: string }>(reopened.core, "resolveEscalation", { conversationId: keepIn, proposalId: toKeep.id, action: "keep-local" });
    expect((await reopened.finished(kept.assistantMessageId)).status).toBe("complete");
    expect((await expectConsistent(reopened, keepIn)).at(-1)).toMatchObject({ id: kept.assistantMessageId, answeredBy: { kind: "local" } });

    const stays = await call<{ assistantMessageId: string }>(reopened.core, "resolveEscalation", { conversationId: cascade, proposalId: cascaded.id, action: "keep-local" });
    expect(stays.assistantMessageId).toBe(local.id);
    expect(await expectConsistent(reopened, cascade)).toEqual(shown[2]);
    expect(before()).toBe(1);
    expect(reopened.turns()).toEqual([]);
  });

  it("confirming (approved, the check held): back to awaiting approval; nothing was sent", async () => {
    const before = counter(fast);
    const crash = await crashIn(childScript, "confirming", fastProvider(), phase("confirming"));
    const conversationId = crash.line("ready").conversationId as string;
    const proposal = crash.line("proposed").proposal as EscalationProposal;
    const { reopened, shown, pending } = await afterRestart("confirming", crash, [conversationId], counter(fast));
    expect(shown[0]!.map((m) => m.role)).toEqual(["user"]);
    expect(pending[0]).toEqual(proposal);
    expect(reopened.turns()).toEqual([{ phase: "awaiting-approval", conversationId }]);
    expect(before()).toBe(0);

    const sent = await call<{ assistantMessageId: string }>(reopened.core, "resolveEscalation", { conversationId, proposalId: proposal.id, action: "send" });
    expect((await reopened.finished(sent.assistantMessageId)).status).toBe("complete");
    expect(before()).toBe(1);
    expect(fast.requests.at(-1)!.body).toBe(requestBodyOf(proposal));
    expect(reopened.turns()).toEqual([]);
  });

  it("proposing (revise, the user edited the payload): the previous proposal stands again", async () => {
    const before = counter(fast);
    const crash = await crashIn(childScript, "proposing-revise", fastProvider(), phase("proposing", (r) => r.state.phase === "proposing" && r.state.purpose === "revise"));
    const conversationId = crash.line("ready").conversationId as string;
    const proposal = crash.line("proposed").proposal as EscalationProposal;
    const { reopened, pending } = await afterRestart("proposing (revise)", crash, [conversationId], counter(fast));
    expect(pending[0]).toEqual(proposal);
    expect(JSON.stringify(pending[0]!.payload)).not.toContain("(edited)");

    const sent = await call<{ assistantMessageId: string }>(reopened.core, "resolveEscalation", { conversationId, proposalId: proposal.id, action: "send" });
    expect((await reopened.finished(sent.assistantMessageId)).status).toBe("complete");
    expect(before()).toBe(1);
    expect(fast.requests.at(-1)!.body).toBe(requestBodyOf(proposal));
  });

  it("generating (local): the partial answer is kept as interrupted, and Continue goes on from its text", async () => {
    const crash = await crashIn(childScript, "generating-local", fastProvider(), phase("generating", (r) => (r.state.attempts[0]?.text.length ?? 0) > 0));
    const conversationId = crash.line("ready").conversationId as string;
    const onDisk = crash.persisted[0]!.state.attempts[0]!;
    const { reopened, shown } = await afterRestart("generating (local)", crash, [conversationId], counter(fast));
    const cut = shown[0]!.at(-1)!;
    expect(cut).toMatchObject({ id: onDisk.id, role: "assistant", status: "interrupted", content: onDisk.text, answeredBy: { kind: "local" } });
    expect(cut.content.length).toBeGreaterThan(0);

    await call(reopened.core, "updateConversationSettings", { conversationId, settings: { maxOutputTokens: 8 } });
    const continued = await call<{ assistantMessageId: string }>(reopened.core, "continueAnswer", { conversationId, messageId: cut.id });
    expect((await reopened.finished(continued.assistantMessageId)).status).toBe("complete");
    const messages = await expectConsistent(reopened, conversationId);
    expect(messages.at(-1)!.id).toBe(continued.assistantMessageId);
    expect(messages.at(-1)!.content.startsWith(cut.content)).toBe(true);
    expect(messages.at(-1)!.versionIds).toEqual([cut.id, continued.assistantMessageId]);
  });

  it("generating (cloud, Auto): the partial cloud answer is kept as interrupted; nothing is sent again", async () => {
    const before = counter(slow);
    const crash = await crashIn(childScript, "generating-cloud", slowProvider(), phase("generating", (r) => r.state.attempts[0]?.target === "cloud" && r.state.attempts[0].text.length > 0));
    const conversationId = crash.line("ready").conversationId as string;
    const onDisk = crash.persisted[0]!.state.attempts[0]!;
    expect(before()).toBe(1);
    const { shown } = await afterRestart("generating (cloud, Auto)", crash, [conversationId], counter(slow));
    const answer = shown[0]!.at(-1)!;
    expect(answer).toMatchObject({ id: onDisk.id, status: "interrupted", content: onDisk.text, answeredBy: { kind: "cloud" } });
    expect(SLOW_REPLY.startsWith(answer.content)).toBe(true);
    expect(answer.content.length).toBeLessThan(SLOW_REPLY.length);
    expect(before()).toBe(1);
  });

  it("generating (cloud, in a cascade): the complete local answer is shown, the cloud one kept interrupted beside it", async () => {
    const before = counter(slow);
    const cloudStreaming = (r: PersistedTurn) => r.state.attempts.length === 2 && r.state.attempts[1]!.target === "cloud" && r.state.attempts[1]!.text.length > 0;
    const crash = await crashIn(childScript, "generating-cascade", slowProvider(), phase("generating", cloudStreaming));
    const conversationId = crash.line("ready").conversationId as string;
    const [local, cloud] = crash.persisted[0]!.state.attempts as [PersistedTurn["state"]["attempts"][0], PersistedTurn["state"]["attempts"][0]];
    expect(local).toMatchObject({ target: "local", status: "complete" });
    const { reopened, shown, pending } = await afterRestart("generating (cloud, cascade)", crash, [conversationId], counter(slow));
    expect(shown[0]!.at(-1)).toMatchObject({ id: local.id, status: "complete", content: local.text, answeredBy: { kind: "local" }, versionIds: [local.id, cloud.id] });
    expect(reopened.core.store.getMessage(cloud.id)).toMatchObject({ status: "interrupted", content: cloud.text, answeredBy: { kind: "cloud" } });
    expect(pending[0]).toBeNull();
    expect(before()).toBe(1);
  });

  it("judging: the local answer stands, complete; no proposal", async () => {
    const before = counter(fast);
    const crash = await crashIn(childScript, "judging", fastProvider(), phase("judging"));
    const conversationId = crash.line("ready").conversationId as string;
    const local = crash.persisted[0]!.state.attempts[0]!;
    const { reopened, shown, pending } = await afterRestart("judging", crash, [conversationId], counter(fast));
    expect(shown[0]!.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(shown[0]!.at(-1)).toMatchObject({ id: local.id, status: "complete", content: local.text, answeredBy: { kind: "local" } });
    expect(pending[0]).toBeNull();
    expect(before()).toBe(0);

    const again = await call<Sent>(reopened.core, "sendMessage", { conversationId, text: "Hi again" });
    expect((await reopened.finished(again.assistantMessageId!)).status).toBe("complete");
  });
});
