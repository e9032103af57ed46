import { useId, useState } from "react";
import { redactionTypeLabel, type PayloadSegment } from "./redaction-segments.js";

type Mark = Extract<PayloadSegment, { kind: "redaction" }>;

/**
 * A placeholder in the payload, marked. Hover or focus shows the value it hides, which never leaves this
 * computer; the value is only put in the page while it is shown.
 */
export function RedactionMark({ mark }: { mark: Mark }) {
  const [open, setOpen] = useState(false);
  const tipId = useId();
  const label = redactionTypeLabel(mark.type);
  return (
    <mark
      className={mark.foundByLocalModel ? "redaction-mark found-by-model" : "redaction-mark"}
      tabIndex={0}
      aria-describedby={open ? tipId : undefined}
      aria-label={`${mark.placeholder}: hidden ${label}${mark.foundByLocalModel ? ", found by the local model" : ""}`}
      onMouseEnter={() => setOpen(true)}
      onMouseLeave={() => setOpen(false)}
      onFocus={() => setOpen(true)}
      onBlur={() => setOpen(false)}
      onKeyDown={(e) => {
        if (e.key === "Escape") setOpen(false);
      }}
      data-testid="redaction-mark"
      data-placeholder={mark.placeholder}
      data-type={mark.type}
      data-found-by-model={mark.foundByLocalModel ? "true" : undefined}
    >
      {mark.placeholder}
      {open && (
        <span className="redaction-tip" role="tooltip" id={tipId} data-testid="redaction-original">
          <span className="redaction-tip-label">Hidden {label}</span>
          {mark.foundByLocalModel && <span className="redaction-tip-note">Found by the local model</span>}
          <span className="redaction-tip-value">{mark.original ?? "(not known to this view)"}</span>
          <span className="redaction-tip-note">Stays on this computer</span>
        </span>
      )}
    </mark>
  );
}
