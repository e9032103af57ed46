import type { CloudAccess } from "../api/contract.js";
import { getApi } from "../api/get-api.js";
import type { HearthState } from "./store.js";
import { useHearth } from "./store.js";

const set = useHearth.setState;
const get = useHearth.getState;

/** The newest request per conversation: an older answer arriving late never overwrites a newer one. */
const latest = new Map<string, number>();
let requests = 0;

/** Fetches the core's decision about this conversation and the cloud; the UI shows only this. */
export async function loadCloudAccess(conversationId: string): Promise<void> {
  const request = ++requests;
  latest.set(conversationId, request);
  const access = await getApi().getCloudAccess({ conversationId });
  if (latest.get(conversationId) !== request) return;
  set((s) => ({ cloudAccess: { ...s.cloudAccess, [conversationId]: access } }));
}

/**
 * After a change that may move the decision (the conversation's settings, a provider saved or removed, the core
 * restarted with another policy): fetch it again for the conversations this window shows.
 */
export async function refreshCloudAccess(conversationIds: readonly string[] = Object.keys(get().cloudAccess)): Promise<void> {
  await Promise.all(conversationIds.map((id) => loadCloudAccess(id)));
}

/** Whether this window follows the conversation's cloud access (it opened it). */
export function followsCloudAccess(conversationId: string): boolean {
  return get().cloudAccess[conversationId] !== undefined || latest.has(conversationId);
}

export function forgetCloudAccess(state: Pick<HearthState, "cloudAccess">, conversationId: string): Record<string, CloudAccess> {
  latest.delete(conversationId);
  if (!(conversationId in state.cloudAccess)) return state.cloudAccess;
  const cloudAccess = { ...state.cloudAccess };
  delete cloudAccess[conversationId];
  return cloudAccess;
}

/** The core's decision for a conversation; undefined until it is fetched (the UI then offers no cloud action). */
export function selectCloudAccess(conversationId: string | null) {
  return (state: HearthState): CloudAccess | undefined => (conversationId ? state.cloudAccess[conversationId] : undefined);
}
