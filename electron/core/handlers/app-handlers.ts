import os from "node:os";
import { AppError } from "../../contract/index.js";
import { isSafeExternalUrl } from "../../contract/links.js";
import type { CoreConfig } from "../core-types.js";
import type { Handlers } from "../dispatch.js";
import type { EnginePort } from "../engine-host/engine-port.js";

type AppHandlers = Pick<Handlers, "getAppInfo" | "pickModelFile" | "pickImportFile" | "openExternal">;

/** The contract's methods about the app and its shell: what runs where, the file dialog, opening links. */
export function appHandlers(deps: {
  config: Pick<CoreConfig, "appVersion" | "shell" | "dataDir" | "pickModelFile" | "pickImportFile" | "openExternal" | "memory">;
  engine: Pick<EnginePort, "describe">;
}): AppHandlers {
  const { config, engine } = deps;
  return {
    async getAppInfo() {
      const { gpu } = await engine.describe();
      return {
        version: config.appVersion ?? "0.0.0",
        shell: config.shell,
        dataDir: config.dataDir,
        canPickFiles: config.pickModelFile != null,
        gpu,
        totalRamBytes: config.memory?.totalRamBytes ?? os.totalmem(),
      };
    },

    async pickModelFile() {
      return { path: config.pickModelFile ? await config.pickModelFile() : null };
    },

    async pickImportFile() {
      return { path: config.pickImportFile ? await config.pickImportFile() : null };
    },

    async openExternal({ url }) {
      if (!isSafeExternalUrl(url)) throw new AppError("INVALID_INPUT", "Only web links (http or https) can be opened.");
      // In browser mode the page opens the checked link itself; the desktop shell hands it to the OS.
      await config.openExternal?.(url);
      return { ok: true as const };
    },
  };
}
