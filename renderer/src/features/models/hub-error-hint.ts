import type { AppErrorCode } from "../../api/contract.js";

export type Hint = { text: string; /** The fix lives in Settings (endpoint or token). */ settings: boolean };

/** The way forward after a search, listing, fit check or download fails; the core's message says what happened. */
export function hubErrorHint(code: AppErrorCode): Hint | null {
  switch (code) {
    case "NETWORK":
      return { text: "Check the connection, or the Hugging Face endpoint in Settings if your organisation uses a mirror.", settings: true };
    case "UNAUTHORIZED":
      return { text: "The server refused the access token. Check or replace it in Settings.", settings: true };
    case "GATED_MODEL":
      return {
        text: "This model is gated: accept its terms on its Hugging Face page, then add an access token in Settings.",
        settings: true,
      };
    case "NOT_FOUND":
      return { text: "The repository or file is no longer there. Search again for a current one.", settings: false };
    case "DISK_FULL":
      return { text: "Free some disk space, or delete a model you no longer use in My models, then retry.", settings: false };
    case "DOWNLOAD_CHECKSUM":
      return {
        text: "The file did not match its published checksum, so Hearth discarded it. Retry; if it happens again, the server may hold a damaged copy.",
        settings: false,
      };
    case "ALREADY_INSTALLED":
      return { text: "Nothing was downloaded: start a chat with the installed model, or find it in My models.", settings: false };
    case "DOWNLOAD_FAILED":
      return { text: "Retry: the download continues from where it stopped when it can.", settings: false };
    default:
      return null;
  }
}
