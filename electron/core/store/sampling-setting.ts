import { defaultSamplingSettings, samplingSettingsSchema, type SamplingSettings } from "../../contract/index.js";

/**
 * A conversation's sampling settings (top-p, top-k, min-p, repeat penalty, seed) are one JSON value under this key
 * in `settings`, like the full-context choice: no schema step of their own. A conversation without the key (every
 * one stored before the settings existed) samples with the defaults.
 */
export const SAMPLING_PREFIX = "sampling:";

/** The stored value as settings; a value that is missing or does not parse (written by hand) gives the defaults. */
export function parseSampling(value: string | null | undefined): SamplingSettings {
  if (value == null) return defaultSamplingSettings;
  try {
    const parsed = samplingSettingsSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : defaultSamplingSettings;
  } catch {
    return defaultSamplingSettings;
  }
}

export function serializeSampling(sampling: SamplingSettings): string {
  return JSON.stringify(samplingSettingsSchema.parse(sampling));
}
