import type { Fit } from "../api/contract.js";
import { getApi } from "../api/get-api.js";
import { fitKey, type HubState, type Remote } from "./hub-state.js";
import { toAppError } from "./notices.js";
import { useHearth } from "./store.js";

const get = useHearth.getState;

function setHub(change: (hub: HubState) => Partial<HubState>): void {
  useHearth.setState((s) => ({ hub: { ...s.hub, ...change(s.hub) } }));
}

/** Each new search supersedes the one before; a late answer to an old query is dropped. */
let searchSeq = 0;
let repoSeq = 0;

export async function searchHub(query: string): Promise<void> {
  const seq = ++searchSeq;
  repoSeq++;
  setHub(() => ({ query, results: { status: "loading" }, repo: null, files: null }));
  try {
    const value = await getApi().searchModels({ query, limit: 30 });
    if (seq === searchSeq) setHub(() => ({ results: { status: "ready", value } }));
  } catch (error) {
    if (seq === searchSeq) setHub(() => ({ results: { status: "error", error: toAppError(error) } }));
  }
}

export async function openRepo(repo: string): Promise<void> {
  const seq = ++repoSeq;
  setHub(() => ({ repo, files: { status: "loading" } }));
  try {
    const { files } = await getApi().listRepoFiles({ repo });
    if (seq === repoSeq) setHub(() => ({ files: { status: "ready", value: files } }));
  } catch (error) {
    if (seq === repoSeq) setHub(() => ({ files: { status: "error", error: toAppError(error) } }));
  }
}

export function closeRepo(): void {
  repoSeq++;
  setHub(() => ({ repo: null, files: null }));
}

/** Asks the core whether a file fits this machine, once per file (it reads the file's header over HTTP). */
export async function ensureFit(repo: string, fileName: string, options: { retry?: boolean } = {}): Promise<void> {
  const key = fitKey(repo, fileName);
  const known = get().hub.fits[key];
  if (known && !(options.retry && known.status === "error")) return;
  const loading: Remote<Fit> = { status: "loading" };
  setHub((hub) => ({ fits: { ...hub.fits, [key]: loading } }));
  let result: Remote<Fit>;
  try {
    result = { status: "ready", value: await getApi().checkFit({ repo, fileName }) };
  } catch (error) {
    result = { status: "error", error: toAppError(error) };
  }
  // Settings may have changed meanwhile (another endpoint): then this answer is about another file.
  if (get().hub.fits[key] === loading) setHub((hub) => ({ fits: { ...hub.fits, [key]: result } }));
}
