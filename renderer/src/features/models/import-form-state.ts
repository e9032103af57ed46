import type { AppError } from "../../api/contract.js";
import type { ImportResult } from "../../state/actions.js";
import { importOutcomeText } from "./import-outcome.js";

/** The import form: the path typed, whether an import runs, and what the last one ended with. */
export type ImportFormState = { path: string; busy: boolean; error: AppError | null; added: string | null };

export type ImportFormAction = { type: "edit"; path: string } | { type: "start" } | { type: "done"; result: ImportResult };

export const initialImportForm: ImportFormState = { path: "", busy: false, error: null, added: null };

/** Pure: editing the path clears the last error and confirmation, since they were about another path. */
export function importFormReducer(state: ImportFormState, action: ImportFormAction): ImportFormState {
  switch (action.type) {
    case "edit":
      return { ...state, path: action.path, error: null, added: null };
    case "start":
      return { ...state, busy: true, error: null, added: null };
    case "done": {
      const { result } = action;
      if (result.ok) return { path: "", busy: false, error: null, added: importOutcomeText(result.model, result.alreadyListed) };
      // A cancelled file dialog (error null) ends with nothing to say.
      return { ...state, busy: false, error: result.error };
    }
    default:
      action satisfies never;
      return state;
  }
}
