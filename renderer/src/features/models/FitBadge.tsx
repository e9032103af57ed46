import type { Fit } from "../../api/contract.js";
import type { Remote } from "../../state/hub-state.js";
import { ensureFit } from "../../state/hub-actions.js";

/** "Fits in GPU" / "Fits in RAM" / "Slow (partial offload)" / "Won't fit", coloured by verdict; the detail on hover. */
export function FitBadge({ fit, repo, fileName }: { fit: Remote<Fit> | undefined; repo: string; fileName: string }) {
  if (!fit || fit.status === "loading") {
    return (
      <span className="fit-badge fit-pending" data-testid="fit-badge" data-verdict="pending">
        Checking fit…
      </span>
    );
  }
  if (fit.status === "error") {
    return (
      <button
        type="button"
        className="fit-badge fit-unknown"
        title={`${fit.error.message} Click to check again.`}
        onClick={() => void ensureFit(repo, fileName, { retry: true })}
        data-testid="fit-badge"
        data-verdict="unknown"
      >
        Fit unknown ↻
      </button>
    );
  }
  return (
    <span className={`fit-badge fit-${fit.value.verdict}`} title={fit.value.detail} data-testid="fit-badge" data-verdict={fit.value.verdict}>
      {fit.value.label}
    </span>
  );
}
