import type { AuditEntry } from "../../api/contract.js";
import { setAuditFilter } from "../../state/audit-actions.js";
import type { AuditViewFilter } from "../../state/audit-state.js";
import { fieldsFromFilter, filterFromFields, type AuditFilterFields } from "./audit-filter-form.js";

const OUTCOMES: ReadonlyArray<readonly [AuditEntry["outcome"], string]> = [
  ["ok", "Succeeded"],
  ["error", "Failed"],
  ["aborted", "Stopped"],
  ["declined", "Declined"],
];

/** Narrows the audit view by provider, outcome and days; the core filters, so totals and pages match. */
export function AuditFilters({ filter, providerNames }: { filter: AuditViewFilter; providerNames: readonly string[] }) {
  const fields = fieldsFromFilter(filter);
  const change = (patch: Partial<AuditFilterFields>) => setAuditFilter(filterFromFields({ ...fields, ...patch }));
  const active = Object.keys(filter).length > 0;
  return (
    <form className="audit-filters" data-testid="audit-filters" onSubmit={(e) => e.preventDefault()}>
      <label>
        Provider
        <select value={fields.providerName} onChange={(e) => change({ providerName: e.target.value })} data-testid="audit-filter-provider">
          <option value="">All</option>
          {providerNames.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Outcome
        <select
          value={fields.outcome}
          onChange={(e) => change({ outcome: e.target.value as AuditFilterFields["outcome"] })}
          data-testid="audit-filter-outcome"
        >
          <option value="">All</option>
          {OUTCOMES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        From
        <input type="date" value={fields.fromDay} max={fields.toDay || undefined} onChange={(e) => change({ fromDay: e.target.value })} data-testid="audit-filter-from" />
      </label>
      <label>
        To
        <input type="date" value={fields.toDay} min={fields.fromDay || undefined} onChange={(e) => change({ toDay: e.target.value })} data-testid="audit-filter-to" />
      </label>
      {active && (
        <button type="button" className="link-button" onClick={() => setAuditFilter({})} data-testid="audit-filter-clear">
          Clear filters
        </button>
      )}
    </form>
  );
}
