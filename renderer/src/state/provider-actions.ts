import type { AppError, MethodInput, MethodOutput, Provider } from "../api/contract.js";
import { getApi } from "../api/get-api.js";
import { reportError, reportInfo, toAppError } from "./notices.js";
import { useHearth } from "./store.js";

const set = useHearth.setState;

export async function loadProviders(): Promise<void> {
  const providers = await getApi().listProviders({});
  set({ providers, providersLoaded: true });
}

function upsertProvider(provider: Provider): void {
  set((s) => {
    const index = s.providers.findIndex((p) => p.id === provider.id);
    const providers = index === -1 ? [...s.providers, provider] : s.providers.map((p) => (p.id === provider.id ? provider : p));
    return { providers };
  });
}

/** Returns the error for the form to show beside its fields. */
export async function saveProvider(input: MethodInput<"saveProvider">): Promise<{ provider: Provider } | { error: AppError }> {
  try {
    const provider = await getApi().saveProvider(input);
    upsertProvider(provider);
    return { provider };
  } catch (error) {
    return { error: toAppError(error) };
  }
}

export async function removeProvider(providerId: string): Promise<void> {
  const provider = useHearth.getState().providers.find((p) => p.id === providerId);
  try {
    await getApi().removeProvider({ providerId });
    set((s) => ({ providers: s.providers.filter((p) => p.id !== providerId) }));
    reportInfo(`Removed ${provider?.name ?? "the provider"} and its key.`);
  } catch (error) {
    reportError(error);
  }
}

export type TestResult = MethodOutput<"testProvider">;

export async function testProvider(providerId: string): Promise<TestResult> {
  try {
    return await getApi().testProvider({ providerId });
  } catch (error) {
    return { ok: false, message: toAppError(error).message, latencyMs: null };
  }
}
