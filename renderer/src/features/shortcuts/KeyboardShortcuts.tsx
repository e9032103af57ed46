import { useEffect, useId } from "react";
import { useHearth } from "../../state/store.js";
import { isMac, matchShortcut, shortcutKeys, shortcuts } from "./keyboard-shortcuts.js";
import { runShortcut } from "./shortcut-actions.js";
import "../chat/chat.css";
import "./shortcuts.css";

const mac = isMac(typeof navigator === "undefined" ? "" : navigator.platform || navigator.userAgent);

/** Empty-or-not when the key comes from the message box; null from anywhere else. */
function composerEmpty(target: EventTarget | null): boolean | null {
  if (!(target instanceof HTMLTextAreaElement) || !target.classList.contains("composer-input")) return null;
  return target.value === "";
}

/** The one keydown handler of the app: every shortcut is matched and run here, none per component. */
function onKeyDown(event: KeyboardEvent): void {
  // A component (the message box's Enter, a dialog) already acted on this key.
  if (event.defaultPrevented) return;
  const id = matchShortcut(event, { mac, composerEmpty: composerEmpty(event.target) });
  if (!id) return;
  // Esc belongs to an open dialog (the delete question) before it stops an answer.
  if (id === "stop" && !useHearth.getState().shortcutsOpen && document.querySelector('[aria-modal="true"]')) return;
  if (!runShortcut(id)) return;
  event.preventDefault();
  // Find starts with what was searched last, selected, so typing replaces it.
  if (id === "find") requestAnimationFrame(() => document.querySelector<HTMLInputElement>('[data-testid="find-input"]')?.select());
}

function ShortcutsSheet() {
  const titleId = useId();
  const close = () => useHearth.setState({ shortcutsOpen: false });
  return (
    <div className="confirm-backdrop" onClick={(event) => event.target === event.currentTarget && close()}>
      <div className="confirm-dialog shortcuts-sheet" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid="shortcuts-sheet">
        <h2 id={titleId}>Keyboard shortcuts</h2>
        <table className="shortcuts-table">
          <tbody>
            {shortcuts.map((shortcut) => (
              <tr key={shortcut.id} data-testid="shortcut-row" data-shortcut={shortcut.id}>
                <td>{shortcut.label}</td>
                <td className="shortcut-keys">
                  {shortcutKeys(shortcut.id, mac).map((key) => (
                    <kbd key={key}>{key}</kbd>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="confirm-actions">
          <button type="button" className="button ghost" onClick={close} autoFocus data-testid="shortcuts-close">
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

/** Installs the keyboard handler for the whole window and shows the shortcuts sheet when asked. */
export function KeyboardShortcuts() {
  const open = useHearth((s) => s.shortcutsOpen);
  useEffect(() => {
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);
  return open ? <ShortcutsSheet /> : null;
}
