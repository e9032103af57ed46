import { useCallback, useEffect, useState } from "react";
import type { ApiActivityEntry, ApiServerState, ApiServerUpdate } from "../../api/contract.js";
import { getApi } from "../../api/get-api.js";
import { ApiActivityList } from "./ApiActivityList.js";
import { LocalApiForm } from "./LocalApiForm.js";
import "./local-api.css";

/** How often the open section refreshes the activity list (it lives in the core's memory only). */
const ACTIVITY_POLL_MS = 2_000;

/** Settings' "Local API" panel: the server's controls and the requests it served. */
export function LocalApiSection() {
  const [state, setState] = useState<ApiServerState | null>(null);
  const [entries, setEntries] = useState<ApiActivityEntry[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const run = useCallback(async (action: () => Promise<ApiServerState | void>, done?: string) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const next = await action();
      if (next) setState(next);
      if (done) setNotice(done);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : "The local API settings could not be changed.");
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    void run(() => getApi().getApiServer({}));
  }, [run]);

  useEffect(() => {
    let stopped = false;
    const refresh = () =>
      getApi()
        .listApiActivity({ limit: 100 })
        .then((list) => !stopped && setEntries(list))
        .catch(() => undefined);
    void refresh();
    const timer = setInterval(refresh, ACTIVITY_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);

  const update = (change: ApiServerUpdate) => void run(() => getApi().updateApiServer(change));
  const copyKey = () =>
    void run(async () => {
      const { key } = await getApi().revealApiKey({});
      await navigator.clipboard.writeText(key);
    }, "The key was copied.");
  const rotateKey = () => void run(() => getApi().rotateApiKey({}), "A new key is in force; programs using the old one must be given this one.");

  return (
    <div className="panel" data-testid="local-api-settings">
      <h2>Local API</h2>
      {state ? (
        <LocalApiForm
          key={`${state.port}:${state.allowedOrigins.join(",")}`}
          state={state}
          busy={busy}
          error={error}
          notice={notice}
          onUpdate={update}
          onCopyKey={copyKey}
          onRotateKey={rotateKey}
        />
      ) : (
        <p className="muted">{error ?? "Loading…"}</p>
      )}
      <h3>Recent requests</h3>
      <p className="field-help">Kept in memory only, the last 500; what was asked and answered is never recorded.</p>
      <ApiActivityList entries={entries} />
    </div>
  );
}
