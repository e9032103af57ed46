import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelInfo } from "../../electron/contract/index.js";
import { createCore, type CoreInternals } from "../../electron/core/core.js";
import { createStderrLogger } from "../../electron/core/logger.js";
import { call } from "../fixtures/core-call.js";
import { storiesModel, tempDir } from "../fixtures/paths.js";

// importModel takes any path from the UI (or a compromised renderer): it must not tell what lives there.
let home: string;
let previousHome: string | undefined;
let core: CoreInternals;
let socketServer: net.Server;

beforeAll(async () => {
  home = tempDir("hearth-home-");
  // os.homedir() follows $HOME on POSIX: a home of our own, so relative paths land in a folder this test owns.
  previousHome = process.env.HOME;
  process.env.HOME = home;
  core = await createCore({ dataDir: path.join(home, "data"), shell: "browser", threads: 1, policyFile: null, logger: createStderrLogger("error") });
  fs.mkdirSync(path.join(home, "models"));
  fs.copyFileSync(storiesModel, path.join(home, "models", "stories.gguf"));
  execFileSync("mkfifo", [path.join(home, "pipe.gguf")]);
  fs.symlinkSync("/proc/self/environ", path.join(home, "environ.gguf"));
  socketServer = net.createServer();
  await new Promise<void>((resolve) => socketServer.listen(path.join(home, "socket.gguf"), resolve));
});

afterAll(async () => {
  await core?.dispose();
  await new Promise((resolve) => socketServer?.close(resolve));
  if (previousHome === undefined) delete process.env.HOME;
  else process.env.HOME = previousHome;
});

async function refusal(file: string) {
  const started = performance.now();
  const result = await core.call("importModel", { path: file });
  if (result.ok) throw new Error(`${file} was imported`);
  return { ...result.error, ms: performance.now() - started };
}

/** The message with the path taken out: what a caller learns beyond the path it sent. */
const shape = (message: string, file: string) => message.split(file).join("<path>");

describe("importModel is not a file probe", () => {
  it("refuses FIFOs, devices, sockets and /proc with the message a missing file gets, without blocking", async () => {
    const missingPath = path.join(home, "no-such-file.gguf");
    const missing = await refusal(missingPath);
    expect(missing).toMatchObject({ code: "MODEL_FILE_MISSING" });
    const expected = shape(missing.message, missingPath);
    expect(expected).toBe("No file at <path>. Check the path and try again.");

    const special = [
      path.join(home, "pipe.gguf"), // opening a FIFO for reading would block until a writer comes
      path.join(home, "socket.gguf"),
      path.join(home, "environ.gguf"), // a symlink into /proc
      "/dev/zero",
      "/dev/null",
      "/proc/self/environ",
      "/proc/self/cmdline",
      "/sys/kernel/notes",
    ];
    for (const file of special) {
      const error = await refusal(file);
      expect(error.code, file).toBe("MODEL_FILE_MISSING");
      expect(shape(error.message, file), file).toBe(expected);
      expect(error.ms, file).toBeLessThan(1000);
    }
  });

  it("resolves relative paths against the user's home folder, not the app's working folder", async () => {
    const inHome = path.join(home, "models", "stories.gguf");
    const model = await call<ModelInfo>(core, "importModel", { path: "models/stories.gguf" });
    expect(model.path).toBe(inHome);
    expect((await call<ModelInfo>(core, "importModel", { path: "~/models/stories.gguf" })).id).toBe(model.id);

    // package.json exists in the working folder (the repository): a relative path must not reach it.
    expect(fs.existsSync(path.join(process.cwd(), "package.json"))).toBe(true);
    const error = await refusal("package.json");
    expect(error).toMatchObject({ code: "MODEL_FILE_MISSING", message: `No file at ${path.join(home, "package.json")}. Check the path and try again.` });
  });
});
