import type { AppErrorCode } from "../../api/contract.js";
import { setView } from "../../state/actions.js";
import { hubErrorHint } from "./hub-error-hint.js";

/** The way forward under a hub error, with a shortcut to Settings when the fix lives there. */
export function HubErrorHint({ code }: { code: AppErrorCode }) {
  const hint = hubErrorHint(code);
  if (!hint) return null;
  return (
    <div className="alert-hint">
      {hint.text}{" "}
      {hint.settings && (
        <button type="button" className="link-button" onClick={() => setView("settings")}>
          Open Settings
        </button>
      )}
    </div>
  );
}
