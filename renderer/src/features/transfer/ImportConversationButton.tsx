import type { ChangeEvent } from "react";
import { importConversationFile } from "../../state/transfer-actions.js";
import "./transfer.css";

/** Import in the sidebar: a Hearth JSON export or ChatGPT's conversations.json, picked with the system's dialog. */
export function ImportConversationButton() {
  function picked(event: ChangeEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const file = input.files?.[0];
    // Cleared at once, so picking the same file again (after fixing it) fires a change too.
    input.value = "";
    if (file) void importConversationFile(file);
  }
  return (
    <label className="import-conversation" title="Import a Hearth JSON export or ChatGPT's conversations.json" data-testid="conversation-import">
      Import…
      <input type="file" accept=".json,application/json" className="visually-hidden-input" onChange={picked} data-testid="conversation-import-file" />
    </label>
  );
}
