import type { ReactNode } from "react";

type Props = { href: string; children: ReactNode; onOpen: (url: string) => void };

/**
 * A link from model output. Clicking never navigates the app window: the user confirms, then the link is handed
 * to the shell (system browser). The href stays so the target shows on hover.
 */
export function ExternalLink({ href, children, onOpen }: Props) {
  return (
    <a
      href={href}
      className="md-link"
      title={href}
      rel="noopener noreferrer nofollow"
      target="_blank"
      onClick={(event) => {
        event.preventDefault();
        if (window.confirm(`Open this link in your browser?\n\n${href}`)) onOpen(href);
      }}
      onAuxClick={(event) => event.preventDefault()}
    >
      {children}
    </a>
  );
}
