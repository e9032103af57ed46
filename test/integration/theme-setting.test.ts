import { afterEach, describe, expect, it } from "vitest";
import type { AppSettings } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { createStderrLogger } from "../../electron/core/logger.js";
import { call } from "../fixtures/core-call.js";
import { tempDir } from "../fixtures/paths.js";

const cores: CoreInternals[] = [];
afterEach(async () => Promise.all(cores.splice(0).map((c) => c.dispose())));

async function open(dataDir: string): Promise<CoreInternals> {
  const core = await createCore({ dataDir, shell: "browser", threads: 1, logger: createStderrLogger("error") });
  cores.push(core);
  return core;
}

describe("settings: the theme", () => {
  it("follows the system until chosen, keeps the choice across a restart, and refuses an unknown one", async () => {
    const dataDir = tempDir();
    const core = await open(dataDir);
    expect((await call<AppSettings>(core, "getSettings", {})).theme).toBe("system");
    expect((await call<AppSettings>(core, "updateSettings", { theme: "dark" })).theme).toBe("dark");

    const refused = await core.call("updateSettings", { theme: "sepia" });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe("INVALID_INPUT");
    await core.dispose();

    const reopened = await open(dataDir);
    expect((await call<AppSettings>(reopened, "getSettings", {})).theme).toBe("dark");
    expect((await call<AppSettings>(reopened, "updateSettings", { theme: "system" })).theme).toBe("system");
    expect((await call<AppSettings>(reopened, "getSettings", {})).theme).toBe("system");
  });
});
