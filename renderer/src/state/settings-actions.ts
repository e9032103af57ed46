import type { AppError, MethodInput } from "../api/contract.js";
import { getApi } from "../api/get-api.js";
import { emptyHubState } from "./hub-state.js";
import { toAppError } from "./notices.js";
import { useHearth } from "./store.js";

const set = useHearth.setState;

export async function loadAppSettings(): Promise<void> {
  set({ appSettings: await getApi().getSettings({}) });
}

/** Saves app settings; returns the error for the form to show beside its fields. */
export async function saveAppSettings(change: MethodInput<"updateSettings">): Promise<AppError | null> {
  const before = useHearth.getState().appSettings;
  try {
    const appSettings = await getApi().updateSettings(change);
    const sourceChanged =
      before?.huggingFaceEndpoint !== appSettings.huggingFaceEndpoint || before?.hasHuggingFaceToken !== appSettings.hasHuggingFaceToken;
    // Search results and fit verdicts came from the old endpoint (or without the token): ask again.
    set(sourceChanged ? { appSettings, hub: emptyHubState } : { appSettings });
    return null;
  } catch (error) {
    return toAppError(error);
  }
}
