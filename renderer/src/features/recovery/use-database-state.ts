import { useEffect, useState } from "react";
import type { DatabaseState } from "../../api/contract.js";
import { getApi } from "../../api/get-api.js";
import { toAppError } from "../../state/notices.js";

/** The database's state as the core reports it, and a way to run one database action at a time against it. */
export function useDatabaseState() {
  const [state, setState] = useState<DatabaseState | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    getApi()
      .getDatabaseState({})
      .then((next) => live && setState(next))
      .catch((failure: unknown) => live && setError(toAppError(failure).message));
    return () => {
      live = false;
    };
  }, []);

  /** Runs `action`; its result replaces the state shown, a failure is shown as the error. True when it succeeded. */
  async function run(action: () => Promise<DatabaseState>): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      setState(await action());
      return true;
    } catch (failure) {
      setError(toAppError(failure).message);
      return false;
    } finally {
      setBusy(false);
    }
  }

  return { state, busy, error, run };
}
