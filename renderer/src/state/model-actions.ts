import { getApi } from "../api/get-api.js";
import { reportError } from "./notices.js";
import { useHearth } from "./store.js";

const set = useHearth.setState;

export async function loadModels(): Promise<void> {
  const models = await getApi().listModels({});
  set({ models, modelsLoaded: true });
}

/** The curated catalog, fetched once when first shown (it ships with the app and does not change while it runs). */
export async function loadCatalog(): Promise<void> {
  if (useHearth.getState().catalog !== null) return;
  try {
    const catalog = await getApi().getCatalog({});
    set({ catalog });
  } catch (error) {
    reportError(error);
  }
}
