import { useEffect, useId, type ReactNode } from "react";
import { createPortal } from "react-dom";
// The dialog's styles sit with the conversation delete dialog, which it generalises.
import "../features/chat/chat.css";
import "./confirm-dialog.css";

/** A question written as paragraphs ("Delete X?\n\nDetail."): the first is the dialog's title, the rest its text. */
export function questionParts(question: string): { title: string; paragraphs: string[] } {
  const [title = "", ...paragraphs] = question.split(/\n{2,}/);
  return { title, paragraphs };
}

/**
 * The app's own confirmation, in place of the browser's `confirm()` (which blocks the page, cannot be styled and
 * reads "127.0.0.1 says" in browser mode). Escape and a click outside cancel; Cancel has the focus.
 */
export function ConfirmDialog(props: {
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  /** Red confirm button, for what deletes or removes. */
  danger?: boolean;
  testId: string;
  /** The buttons' test ids are `<actionsTestId>-cancel` / `-confirm` (default: the dialog's `testId`). */
  actionsTestId?: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const titleId = useId();
  const { onCancel } = props;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") onCancel();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onCancel]);
  const dialog = (
    <div className="confirm-backdrop" onClick={(event) => event.target === event.currentTarget && onCancel()}>
      <div className="confirm-dialog" role="alertdialog" aria-modal="true" aria-labelledby={titleId} data-testid={props.testId}>
        <h2 id={titleId}>{props.title}</h2>
        {props.children}
        <div className="confirm-actions">
          <button type="button" className="button ghost" onClick={onCancel} autoFocus data-testid={`${props.actionsTestId ?? props.testId}-cancel`}>
            {props.cancelLabel ?? "Cancel"}
          </button>
          <button
            type="button"
            className={`button ${props.danger ? "danger" : "primary"}`}
            onClick={props.onConfirm}
            data-testid={`${props.actionsTestId ?? props.testId}-confirm`}
          >
            {props.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
  // On the page's body: the caller may sit in a paragraph (a link) or under a transformed card, which would clip
  // or misplace a fixed backdrop. Server rendering (tests) has no body and renders it in place.
  return typeof document === "undefined" ? dialog : createPortal(dialog, document.body);
}
