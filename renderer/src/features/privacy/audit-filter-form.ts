import type { AuditEntry } from "../../api/contract.js";
import type { AuditViewFilter } from "../../state/audit-state.js";

/** The filter form's fields as the inputs hold them: "" means no filter; dates are the local day (YYYY-MM-DD). */
export type AuditFilterFields = { providerName: string; outcome: "" | AuditEntry["outcome"]; fromDay: string; toDay: string };

const pad = (n: number) => String(n).padStart(2, "0");
const dayOf = (time: number): string => {
  const d = new Date(time);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

/** Local midnight of a YYYY-MM-DD day, or null for an empty or impossible one. */
function dayStart(day: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const time = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])).getTime();
  return Number.isFinite(time) && time >= 0 ? time : null;
}

/** The fields as the core's filter: "to" covers the whole of its day. */
export function filterFromFields(fields: AuditFilterFields): AuditViewFilter {
  const filter: AuditViewFilter = {};
  if (fields.providerName !== "") filter.providerName = fields.providerName;
  if (fields.outcome !== "") filter.outcome = fields.outcome;
  const from = dayStart(fields.fromDay);
  if (from !== null) filter.from = from;
  const to = dayStart(fields.toDay);
  if (to !== null) filter.to = new Date(new Date(to).setDate(new Date(to).getDate() + 1)).getTime() - 1;
  return filter;
}

export function fieldsFromFilter(filter: AuditViewFilter): AuditFilterFields {
  return {
    providerName: filter.providerName ?? "",
    outcome: filter.outcome ?? "",
    fromDay: filter.from === undefined ? "" : dayOf(filter.from),
    toDay: filter.to === undefined ? "" : dayOf(filter.to),
  };
}
