import type { ReactNode } from "react";

export type SegmentOption<T extends string> = { value: T; label: ReactNode; title?: string };

/**
 * A row of mutually exclusive choices (an ARIA radio group of buttons), as used for the privacy mode and the
 * escalation level. Each option's test id is `${testIdPrefix}-${value}`.
 */
export function Segmented<T extends string>(props: {
  label: string;
  options: readonly SegmentOption<T>[];
  value: T;
  onChange: (value: T) => void;
  testId: string;
  testIdPrefix: string;
  disabled?: boolean;
  /** Set as the group's data-mode attribute (tests read the current mode from it). */
  dataMode?: string;
}) {
  return (
    <div className="segmented" role="radiogroup" aria-label={props.label} data-testid={props.testId} data-mode={props.dataMode}>
      {props.options.map((o) => (
        <button
          key={o.value}
          type="button"
          role="radio"
          aria-checked={o.value === props.value}
          className={`segment${o.value === props.value ? " selected" : ""}`}
          disabled={props.disabled}
          title={o.title}
          onClick={() => props.onChange(o.value)}
          data-testid={`${props.testIdPrefix}-${o.value}`}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
