import type { SearchResult } from "../api/contract.js";

/** The Ctrl/Cmd+K dialog: what was asked, what came back (best first), which row the arrow keys are on. */
export type SearchState = {
  open: boolean;
  query: string;
  results: SearchResult[];
  status: "idle" | "loading" | "done" | "error";
  error: string | null;
  selected: number;
};

/** Find in the open conversation (Ctrl/Cmd+F): the text and which match is the current one (0-based). */
export type FindState = { open: boolean; query: string; current: number };

export type SearchSlice = {
  search: SearchState;
  find: FindState;
  /** A message the chat scrolls to and flashes once it is shown (a search hit, the current find match). */
  revealMessageId: string | null;
};

export const emptySearchState: SearchState = { open: false, query: "", results: [], status: "idle", error: null, selected: 0 };
export const emptyFindState: FindState = { open: false, query: "", current: 0 };
