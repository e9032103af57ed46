import type { EngineEvent } from "../api/contract.js";
import { getApi } from "../api/get-api.js";
import { reportError, reportInfo } from "./notices.js";
import { useHearth } from "./store.js";
import { formatBytes } from "../ui/format.js";

const set = useHearth.setState;

export async function loadLoadedModel(): Promise<void> {
  const { loaded } = await getApi().getLoadedModel({});
  set({ loadedModel: loaded });
}

export function handleEngineEvent(event: EngineEvent): void {
  switch (event.type) {
    case "loaded-model-changed":
      set({ loadedModel: event.loaded });
      return;
    default:
      event.type satisfies never;
  }
}

/** Frees the loaded model's memory; the next message loads it again. */
export async function ejectModel(): Promise<void> {
  const name = useHearth.getState().loadedModel?.name;
  try {
    const { freedBytes } = await getApi().ejectModel({});
    set({ loadedModel: null });
    if (name && freedBytes > 0) reportInfo(`Ejected ${name}: about ${formatBytes(freedBytes)} of memory freed.`);
  } catch (error) {
    reportError(error);
  }
}
