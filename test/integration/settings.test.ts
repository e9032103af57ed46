import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { AppSettings } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import type { Logger } from "../../electron/core/core-types.js";
import { tempDir } from "../fixtures/paths.js";
import { call } from "../fixtures/core-call.js";

const TOKEN = "hf_SeCrEtTokenValue1234567890abcdefXYZ";


const cores: CoreInternals[] = [];
afterEach(async () => Promise.all(cores.splice(0).map((c) => c.dispose())));

describe("settings: Hugging Face endpoint and access token", () => {
  it("stores the token as a secret: never returned, logged or written to the database in clear", async () => {
    const dataDir = tempDir();
    const logged: string[] = [];
    const logger: Logger = {
      info: (m, f) => logged.push(JSON.stringify([m, f])),
      warn: (m, f) => logged.push(JSON.stringify([m, f])),
      error: (m, f) => logged.push(JSON.stringify([m, f])),
    };
    const core = await createCore({ dataDir, shell: "browser", threads: 1, logger });
    cores.push(core);
    const defaults = await call<AppSettings>(core, "getSettings", {});
    expect(defaults).toMatchObject({ huggingFaceEndpoint: "https://huggingface.co", hasHuggingFaceToken: false });

    const updated = await call<AppSettings>(core, "updateSettings", {
      huggingFaceEndpoint: "http://127.0.0.1:9/hf/",
      huggingFaceToken: TOKEN,
    });
    expect(updated).toMatchObject({ huggingFaceEndpoint: "http://127.0.0.1:9/hf", hasHuggingFaceToken: true });
    expect(JSON.stringify(updated)).not.toContain(TOKEN);
    expect(core.models.hf.headers()).toMatchObject({ Authorization: `Bearer ${TOKEN}` });

    // A failing request to the mirror must not put the token in the error text either.
    const failed = await core.call("searchModels", { query: "qwen" });
    expect(JSON.stringify(failed)).not.toContain(TOKEN);

    await core.dispose();
    cores.pop();
    for (const file of fs.readdirSync(dataDir, { recursive: true }) as string[]) {
      const full = path.join(dataDir, file);
      if (fs.statSync(full).isFile()) expect(fs.readFileSync(full).includes(TOKEN), file).toBe(false);
    }
    expect(logged.join("\n")).not.toContain(TOKEN);

    const reopened = await createCore({ dataDir, shell: "browser", threads: 1 });
    cores.push(reopened);
    expect(await call<AppSettings>(reopened, "getSettings", {})).toMatchObject({
      huggingFaceEndpoint: "http://127.0.0.1:9/hf",
      hasHuggingFaceToken: true,
    });
    const cleared = await call<AppSettings>(reopened, "updateSettings", {
      huggingFaceToken: null,
      huggingFaceEndpoint: "https://huggingface.co/",
    });
    expect(cleared).toMatchObject({ huggingFaceEndpoint: "https://huggingface.co", hasHuggingFaceToken: false });
  });

  it("refuses an endpoint that is not http(s) or carries credentials", async () => {
    const core = await createCore({ dataDir: tempDir(), shell: "browser", threads: 1 });
    cores.push(core);
    for (const endpoint of ["ftp://mirror.example.org/", "https://user:pass@mirror.example.org/", "not a url"]) {
      const result = await core.call("updateSettings", { huggingFaceEndpoint: endpoint });
      expect(result, endpoint).toMatchObject({ ok: false, error: { code: "INVALID_INPUT" } });
    }
  });
});
