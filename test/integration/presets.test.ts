import { afterEach, describe, expect, it } from "vitest";
import { defaultSamplingSettings, type AppSettings, type Preset } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { createStderrLogger } from "../../electron/core/logger.js";
import { call } from "../fixtures/core-call.js";
import { tempDir } from "../fixtures/paths.js";

const cores: CoreInternals[] = [];
afterEach(async () => Promise.all(cores.splice(0).map((c) => c.dispose())));
const open = async (dataDir: string) => {
  const core = await createCore({ dataDir, shell: "browser", threads: 1, logger: createStderrLogger("error") });
  cores.push(core);
  return core;
};

const precise: Preset = { id: "a", name: "Precise", systemPrompt: "Be exact.", temperature: 0.1, maxOutputTokens: 512, sampling: { ...defaultSamplingSettings, seed: 7 } };

describe("settings: presets", () => {
  it("are kept across a restart, and a list with a bad or duplicate preset changes nothing", async () => {
    const dataDir = tempDir();
    const core = await open(dataDir);
    expect((await call<AppSettings>(core, "getSettings", {})).presets).toEqual([]);
    await call(core, "updateSettings", { presets: [precise] });

    const duplicate = await core.call("updateSettings", { presets: [precise, { ...precise, name: "Other" }] });
    expect(duplicate.ok ? null : duplicate.error.code).toBe("INVALID_INPUT");
    const bad = await core.call("updateSettings", { presets: [{ ...precise, id: "b", temperature: 9 }] });
    expect(bad.ok ? null : bad.error.code).toBe("INVALID_INPUT");
    await core.dispose();

    const reopened = await open(dataDir);
    expect((await call<AppSettings>(reopened, "getSettings", {})).presets).toEqual([precise]);
    expect((await call<AppSettings>(reopened, "updateSettings", { presets: [] })).presets).toEqual([]);
  });
});
