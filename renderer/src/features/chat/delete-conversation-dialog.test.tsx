import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DeleteConversationDialog, ERASE_AUDIT_LABEL } from "./DeleteConversationDialog.js";

const noop = () => undefined;

describe("the delete confirmation", () => {
  it("offers to erase the audit payloads, unticked, when the chat sent something to the cloud", () => {
    const html = renderToStaticMarkup(<DeleteConversationDialog title="Fox stories" hasAudit onConfirm={noop} onCancel={noop} />);
    expect(html).toContain('role="alertdialog"');
    expect(html).toContain("Delete “Fox stories”?");
    expect(html).toContain(ERASE_AUDIT_LABEL);
    expect(html).toMatch(/<input type="checkbox" data-testid="conversation-delete-erase-audit"\/>/);
    expect(html).toContain('data-testid="conversation-delete-confirm"');
  });

  it("does not offer it for a chat that never left this computer", () => {
    const html = renderToStaticMarkup(<DeleteConversationDialog title="" hasAudit={false} onConfirm={noop} onCancel={noop} />);
    expect(html).toContain("Delete “New chat”?");
    expect(html).not.toContain("conversation-delete-erase-audit");
  });
});
