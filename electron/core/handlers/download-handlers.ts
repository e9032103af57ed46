import type { Handlers } from "../dispatch.js";
import type { ModelManager } from "../models/model-manager.js";

type DownloadHandlers = Pick<
  Handlers,
  "startDownload" | "pauseDownload" | "resumeDownload" | "cancelDownload" | "listDownloads"
>;

/** The contract's model download methods: start, pause, resume, cancel, list. */
export function downloadHandlers(deps: { models: ModelManager }): DownloadHandlers {
  const { models } = deps;
  return {
    async startDownload(input) {
      return models.startDownload(input);
    },

    async pauseDownload({ downloadId }) {
      return models.downloads.pause(downloadId);
    },

    async resumeDownload({ downloadId }) {
      return models.downloads.resume(downloadId);
    },

    async cancelDownload({ downloadId }) {
      return models.downloads.cancel(downloadId);
    },

    async listDownloads() {
      return models.downloads.list();
    },
  };
}
