import type { ApiActivityEntry } from "../../api/contract.js";

const time = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** Which program used the local model, when and how much: the newest requests first (never their content). */
export function ApiActivityList({ entries }: { entries: readonly ApiActivityEntry[] }) {
  if (entries.length === 0) {
    return (
      <p className="muted" data-testid="api-activity-empty">
        No requests yet.
      </p>
    );
  }
  return (
    <table className="api-activity" data-testid="api-activity">
      <thead>
        <tr>
          <th>Time</th>
          <th>Program</th>
          <th>Request</th>
          <th>Model</th>
          <th>Tokens in / out</th>
          <th>Took</th>
          <th>Status</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.id} data-testid="api-activity-row" className={entry.status >= 400 ? "api-activity-failed" : undefined}>
            <td>{time.format(entry.at)}</td>
            <td title={entry.remotePort ? `port ${entry.remotePort}` : undefined}>{entry.client}</td>
            <td>
              {entry.method} {entry.path}
              {entry.stream ? " (stream)" : ""}
            </td>
            <td>{entry.model ?? "—"}</td>
            <td>{entry.inputTokens === null ? "—" : `${entry.inputTokens} / ${entry.outputTokens ?? 0}`}</td>
            <td>{entry.durationMs < 1000 ? `${Math.round(entry.durationMs)} ms` : `${(entry.durationMs / 1000).toFixed(1)} s`}</td>
            <td>{entry.error ? `${entry.status} ${entry.error}` : entry.status}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
