import fs from "node:fs";
import path from "node:path";

/**
 * bench:ui --profile DIR: a CPU profile of the page per phase (Chrome DevTools' Profiler, through the CDP session),
 * written as DIR/<phase>.cpuprofile (open it in DevTools) with DIR/<phase>.txt beside it: the stretches of
 * uninterrupted main-thread work over 50 ms the profile shows, and which functions took their time (self, and
 * including what they called). Profiling slows the page down, so a profiled run's timings are not the bench's figures.
 */

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
export type CpuProfile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

/** What the profiler session needs: the CDP session's `send`. */
type Cdp = { send(method: string, params?: Record<string, unknown>): Promise<unknown> };

const LONG_MS = 50;
/** A gap of idle time shorter than this does not end a stretch of work (the sampler's own jitter). */
const IDLE_GAP_MS = 1;
const TOP = 25;

export async function startProfile(cdp: Cdp): Promise<void> {
  await cdp.send("Profiler.enable");
  // Every 200 µs: a 50 ms task gets ~250 samples.
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await cdp.send("Profiler.start");
}

/**
 * Run in the page right after the profiler starts: a few milliseconds in a function of this name, so the profile
 * shows where the page's clock (performance.now(), which the long tasks use) falls on its own.
 */
export const MARK_FUNCTION = "__benchProfileMark";
export const markInPage = `(function ${MARK_FUNCTION}() {
  const at = performance.now();
  while (performance.now() - at < 4) {}
  return at;
})()`;

export type PageTask = { start: number; duration: number };

export async function stopProfile(cdp: Cdp, dir: string, phase: string, page?: { markAt: number; tasks: PageTask[] }): Promise<string> {
  const { profile } = (await cdp.send("Profiler.stop")) as { profile: CpuProfile };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${phase}.cpuprofile`), JSON.stringify(profile));
  let summary = summarizeProfile(profile);
  if (page) summary += summarizeTasks(profile, page.markAt, page.tasks);
  fs.writeFileSync(path.join(dir, `${phase}.txt`), summary);
  return summary;
}

/** A profile's nodes by id, each node's parent, each sample's time, and a way to add a sample to self/total times. */
function indexProfile(profile: CpuProfile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const times: number[] = [];
  let t = profile.startTime;
  for (const delta of profile.timeDeltas) times.push((t += delta));
  /** Sample `id`'s `ms` to its leaf function's self time and, once each, to every function on its stack. */
  const attribute = (id: number, ms: number, self: Map<string, number>, total: Map<string, number>) => {
    const leaf = frameName(byId.get(id)!.callFrame);
    self.set(leaf, (self.get(leaf) ?? 0) + ms);
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const name = frameName(byId.get(node)!.callFrame);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + ms);
    }
  };
  return { byId, parent, times, attribute };
}

/** The page's long tasks, longest first, each with the functions that took its time. */
function summarizeTasks(profile: CpuProfile, markAt: number, tasks: PageTask[]): string {
  const { byId, parent, times, attribute } = indexProfile(profile);
  const markIndex = profile.samples.findIndex((id) => {
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      if (byId.get(node)!.callFrame.functionName === MARK_FUNCTION) return true;
    }
    return false;
  });
  if (markIndex < 0) return "\n(the page's mark is not in the profile: long tasks not matched)\n";
  // Profile microseconds at page time 0.
  const origin = times[markIndex]! - markAt * 1000;
  const lines = ["", `long tasks in this phase, longest first (of ${tasks.length}):`];
  for (const task of [...tasks].sort((a, b) => b.duration - a.duration).slice(0, 12)) {
    const from = origin + task.start * 1000;
    const to = from + task.duration * 1000;
    const self = new Map<string, number>();
    const total = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      const at = times[i]!;
      if (at < from || at > to) return;
      attribute(id, ((times[i + 1] ?? at) - at) / 1000, self, total);
    });
    const top = (map: Map<string, number>, n: number) =>
      [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, ms]) => `${ms.toFixed(0)} ${name}`).join("; ");
    lines.push(`- ${task.duration.toFixed(0)} ms at ${task.start.toFixed(0)}`, `    self: ${top(self, 8)}`, `    incl: ${top(total, 30)}`);
  }
  return lines.join("\n") + "\n";
}

function frameName(frame: CallFrame): string {
  const file = frame.url ? frame.url.slice(frame.url.lastIndexOf("/") + 1) : "";
  return `${frame.functionName || "(anonymous)"}${file ? ` ${file}:${frame.lineNumber + 1}` : ""}`;
}

/** Long stretches of work in the profile, and the functions that took their time. */
export function summarizeProfile(profile: CpuProfile): string {
  const { byId, times, attribute } = indexProfile(profile);
  const idle = (id: number) => {
    const name = byId.get(id)?.callFrame.functionName;
    return name === "(idle)" || name === "(root)";
  };

  // Sample i lasts until the next one: its duration is the next delta.
  const duration = (i: number) => ((times[i + 1] ?? times[i]!) - times[i]!) / 1000;

  type Stretch = { from: number; to: number; ms: number };
  const stretches: Stretch[] = [];
  let current: Stretch | null = null;
  let idleMs = 0;
  profile.samples.forEach((id, i) => {
    if (idle(id)) {
      idleMs += duration(i);
      if (current && idleMs >= IDLE_GAP_MS) {
        stretches.push(current);
        current = null;
      }
      return;
    }
    idleMs = 0;
    if (!current) current = { from: i, to: i, ms: 0 };
    current.to = i;
    current.ms += duration(i);
  });
  if (current) stretches.push(current);
  const long = stretches.filter((s) => s.ms > LONG_MS);

  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let longMs = 0;
  for (const stretch of long) {
    for (let i = stretch.from; i <= stretch.to; i++) {
      const id = profile.samples[i]!;
      if (idle(id)) continue;
      const ms = duration(i);
      longMs += ms;
      attribute(id, ms, self, total);
    }
  }
  const top = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([name, ms]) => `  ${ms.toFixed(1).padStart(9)} ms  ${name}`);
  const wallMs = (profile.endTime - profile.startTime) / 1000;
  const busyMs = stretches.reduce((sum, s) => sum + s.ms, 0);
  return [
    `profile: ${wallMs.toFixed(0)} ms, busy ${busyMs.toFixed(0)} ms; ${long.length} stretches over ${LONG_MS} ms ` +
      `(longest ${Math.max(0, ...long.map((s) => s.ms)).toFixed(0)} ms), ${longMs.toFixed(0)} ms in them`,
    `stretches over ${LONG_MS} ms: ${long.map((s) => s.ms.toFixed(0)).join(", ")}`,
    "self time in them:",
    ...top(self),
    "including callees:",
    ...top(total),
    "",
  ].join("\n");
}
