import { useHearth } from "../state/store.js";

/** Browser mode only: shown while the link to the local Hearth server is down. */
export function ConnectionBanner() {
  const connection = useHearth((s) => s.connection);
  if (connection !== "disconnected") return null;
  return (
    <div className="connection-banner" role="status" data-testid="disconnected">
      Disconnected from Hearth. Reconnecting… If you restarted the server, open the new link it printed.
    </div>
  );
}
