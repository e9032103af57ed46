import type { MouseEvent } from "react";
import type { ConversationExportFormat } from "../../api/contract.js";
import { exportConversation } from "../../state/transfer-actions.js";
import "./transfer.css";

const choices: { format: ConversationExportFormat; label: string; hint: string }[] = [
  { format: "markdown", label: "Export as Markdown", hint: "The messages shown, readable anywhere" },
  { format: "json", label: "Export as JSON", hint: "Every version, to import into Hearth again" },
];

/** The conversation's export menu: a disclosure, so it needs no state and closes once a choice is made. */
export function ExportConversationMenu({ conversationId }: { conversationId: string }) {
  function choose(event: MouseEvent<HTMLButtonElement>, format: ConversationExportFormat) {
    const menu = event.currentTarget.closest("details");
    if (menu) menu.open = false;
    void exportConversation(conversationId, format);
  }
  return (
    <details className="conversation-menu" data-testid="conversation-export">
      <summary className="icon-button" aria-label="Export" title="Export">
        ⤓
      </summary>
      <div className="conversation-menu-items" role="menu">
        {choices.map(({ format, label, hint }) => (
          <button
            key={format}
            type="button"
            role="menuitem"
            className="conversation-menu-item"
            title={hint}
            onClick={(event) => choose(event, format)}
            data-testid={`conversation-export-${format}`}
          >
            {label}
          </button>
        ))}
      </div>
    </details>
  );
}
