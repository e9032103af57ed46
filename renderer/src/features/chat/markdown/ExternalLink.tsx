import { useState, type ReactNode } from "react";
import { ConfirmDialog } from "../../../ui/ConfirmDialog.js";

type Props = { href: string; children: ReactNode; onOpen: (url: string) => void };

/**
 * A link from model output. Clicking never navigates the app window: the user confirms, then the link is handed
 * to the shell (system browser). The href stays so the target shows on hover.
 */
export function ExternalLink({ href, children, onOpen }: Props) {
  const [asking, setAsking] = useState(false);
  return (
    <>
      {asking && (
        <ConfirmDialog
          title="Open this link in your browser?"
          confirmLabel="Open"
          testId="external-link-dialog"
          onConfirm={() => {
            setAsking(false);
            onOpen(href);
          }}
          onCancel={() => setAsking(false)}
        >
          <p className="confirm-url">{href}</p>
        </ConfirmDialog>
      )}
      <a
        href={href}
        className="md-link"
        title={href}
        rel="noopener noreferrer nofollow"
        target="_blank"
        onClick={(event) => {
          event.preventDefault();
          setAsking(true);
        }}
        onAuxClick={(event) => event.preventDefault()}
      >
        {children}
      </a>
    </>
  );
}
