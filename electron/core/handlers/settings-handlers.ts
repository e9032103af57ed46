import type { Handlers } from "../dispatch.js";
import type { SettingsService } from "../settings/settings-service.js";

type SettingsHandlers = Pick<Handlers, "getSettings" | "updateSettings">;

/** The contract's app settings methods. */
export function settingsHandlers(deps: { settings: Pick<SettingsService, "get" | "update"> }): SettingsHandlers {
  const { settings } = deps;
  return {
    async getSettings() {
      return settings.get();
    },

    async updateSettings(input) {
      return settings.update(input);
    },
  };
}
