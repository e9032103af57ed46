import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ConfirmDialog, questionParts } from "./ConfirmDialog.js";

const noop = () => undefined;

describe("the app's confirmation dialog", () => {
  it("is an alert dialog with its title, text, and both answers", () => {
    const html = renderToStaticMarkup(
      <ConfirmDialog title="Remove the stored key?" confirmLabel="Remove" danger testId="key-remove-dialog" onConfirm={noop} onCancel={noop}>
        <p>Hearth cannot use this provider until you add one again.</p>
      </ConfirmDialog>,
    );
    expect(html).toContain('role="alertdialog"');
    expect(html).toContain('aria-modal="true"');
    expect(html).toContain("Remove the stored key?");
    expect(html).toContain("Hearth cannot use this provider");
    expect(html).toMatch(/class="button danger" data-testid="key-remove-dialog-confirm">Remove</);
    expect(html).toContain('data-testid="key-remove-dialog-cancel">Cancel<');
  });

  it("splits a question into its title and paragraphs", () => {
    expect(questionParts("Delete Qwen and free 2.5 GB?\n\n1 chat uses it.")).toEqual({ title: "Delete Qwen and free 2.5 GB?", paragraphs: ["1 chat uses it."] });
    expect(questionParts("Remove it?")).toEqual({ title: "Remove it?", paragraphs: [] });
  });
});
