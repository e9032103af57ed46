/**
 * Markdown parsing spread over time, so that showing many messages at once (opening a long chat, scrolling fast
 * through one) never holds the main thread for long: each task may parse for PARSE_BUDGET_MS; what does not fit is
 * queued and parsed in later slices of SLICE_MS each, between frames, newest request first (rows that just came
 * into view), and whoever asked is told so it can show the result.
 */

/** Parsing allowed within one task (one render of the list, one event). */
export const PARSE_BUDGET_MS = 8;
/** Parsing done per background slice; the rest of the frame stays free for scrolling and painting. */
export const SLICE_MS = 8;

type Request = { parse: () => void; done: () => void; cancelled: boolean };

const now = () => performance.now();

let spent = 0;
let resetQueued = false;
const queue: Request[] = [];
let pumpQueued = false;

function charge(ms: number): void {
  spent += ms;
  if (resetQueued) return;
  resetQueued = true;
  // The next task starts with a fresh budget.
  setTimeout(() => {
    spent = 0;
    resetQueued = false;
  }, 0);
}

let heldUntil = 0;

/**
 * No parsing for the next `ms`: the list is scrolling fast, and rows that fly past need not be parsed at all (they
 * are queued, and the ones still on screen when it slows are parsed between frames then).
 */
export function holdParsing(ms: number): void {
  heldUntil = Math.max(heldUntil, now() + ms);
}

/** Whether this task may still parse now. */
export function canParseNow(): boolean {
  return spent < PARSE_BUDGET_MS && now() >= heldUntil;
}

/** Runs `work` (a parse) counting its time against this task's budget. */
export function parseNow<T>(work: () => T): T {
  const started = now();
  try {
    return work();
  } finally {
    charge(now() - started);
  }
}

function pump(): void {
  pumpQueued = false;
  const started = now();
  if (started < heldUntil) {
    // Still scrolling fast: rows queued now may be gone before it stops; parse what is left then.
    pumpQueued = true;
    setTimeout(pump, heldUntil - started);
    return;
  }
  const finished: Request[] = [];
  while (queue.length > 0 && now() - started < SLICE_MS) {
    const request = queue.pop()!;
    if (request.cancelled) continue;
    request.parse();
    finished.push(request);
  }
  for (const request of finished) if (!request.cancelled) request.done();
  if (queue.length > 0) schedule();
}

function schedule(): void {
  if (pumpQueued) return;
  pumpQueued = true;
  setTimeout(pump, 0);
}

/**
 * Parses later (`parse` stores its result somewhere), then calls `done`. Returns a cancel function, for a row that
 * leaves the screen before its turn.
 */
export function parseLater(parse: () => void, done: () => void): () => void {
  const request: Request = { parse, done, cancelled: false };
  queue.push(request);
  schedule();
  return () => {
    request.cancelled = true;
  };
}

/** Requests still waiting (tests). */
export function pendingParses(): number {
  return queue.filter((r) => !r.cancelled).length;
}
