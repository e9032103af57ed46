import os from "node:os";
import path from "node:path";

/** Where the browser mode keeps its data by default: the same folder Electron's `userData` would be. */
export function defaultDataDir(appName = "Hearth"): string {
  const home = os.homedir();
  switch (process.platform) {
    case "darwin":
      return path.join(home, "Library", "Application Support", appName);
    case "win32":
      return path.join(process.env.APPDATA ?? path.join(home, "AppData", "Roaming"), appName);
    default:
      return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, ".config"), appName);
  }
}
