import { useState, type FormEvent } from "react";
import type { AppError, HubModel } from "../../api/contract.js";
import { setView } from "../../state/actions.js";
import { closeRepo, openRepo, searchHub } from "../../state/hub-actions.js";
import { useHearth } from "../../state/store.js";
import { formatCount } from "../../ui/format.js";
import { FileList } from "./FileList.js";
import { HubErrorHint } from "./HubErrorHint.js";

function hostOf(url: string | undefined): string {
  if (!url) return "Hugging Face";
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function HubError({ error, what }: { error: AppError; what: string }) {
  return (
    <div className="alert alert-error" role="alert" data-testid="hub-error" data-code={error.code}>
      <strong>{what}</strong> {error.message}
      <HubErrorHint code={error.code} />
    </div>
  );
}

function ResultItem({ model }: { model: HubModel }) {
  const [owner, name] = model.repo.includes("/") ? model.repo.split("/", 2) : [null, model.repo];
  return (
    <li>
      <button type="button" className="hub-result" onClick={() => void openRepo(model.repo)} data-testid="hf-result" data-repo={model.repo}>
        <span className="hub-result-name">
          {owner && <span className="muted">{owner}/</span>}
          {name}
        </span>
        <span className="hub-result-meta">
          {model.gated && (
            <span className="badge badge-gated" title="The authors ask you to accept their terms on Hugging Face; downloading needs an access token." data-testid="gated-badge">
              Gated
            </span>
          )}
          <span title="Downloads">↓ {formatCount(model.downloads)}</span>
          <span title="Likes">♥ {formatCount(model.likes)}</span>
          {model.updatedAt && <span className="muted">updated {model.updatedAt.slice(0, 10)}</span>}
        </span>
      </button>
    </li>
  );
}

function RepoView({ repo }: { repo: string }) {
  const files = useHearth((s) => s.hub.files);
  const gated = useHearth((s) => (s.hub.results?.status === "ready" ? s.hub.results.value.find((r) => r.repo === repo)?.gated : false) ?? false);
  const hasToken = useHearth((s) => s.appSettings?.hasHuggingFaceToken ?? false);
  return (
    <div className="repo-view" data-testid="repo-view" data-repo={repo}>
      <div className="repo-head">
        <button type="button" className="button ghost small" onClick={closeRepo} data-testid="repo-back">
          ← Results
        </button>
        <h3 className="repo-name">{repo}</h3>
      </div>
      {gated && !hasToken && (
        <div className="alert alert-warning">
          This model is gated. Accept its terms on Hugging Face, then add an access token in{" "}
          <button type="button" className="link-button" onClick={() => setView("settings")}>
            Settings
          </button>{" "}
          to download it.
        </div>
      )}
      {files === null || files.status === "loading" ? (
        <p className="muted">Listing files…</p>
      ) : files.status === "error" ? (
        <HubError error={files.error} what="Could not list the files." />
      ) : (
        <>
          <p className="muted small-text">
            Smaller quantizations (Q4) use less memory and run faster; larger ones (Q6, Q8) keep more of the model's
            quality.
          </p>
          <FileList repo={repo} files={files.value} />
        </>
      )}
    </div>
  );
}

/** Search Hugging Face for GGUF models, open one, pick a file that fits. */
export function SearchTab() {
  const hub = useHearth((s) => s.hub);
  const endpoint = useHearth((s) => s.appSettings?.huggingFaceEndpoint);
  const [draft, setDraft] = useState(hub.query);

  function submit(event: FormEvent) {
    event.preventDefault();
    void searchHub(draft.trim());
  }

  return (
    <>
      <form className="hub-search" onSubmit={submit} role="search">
        <input
          className="input"
          type="search"
          placeholder="Search GGUF models, e.g. qwen3 4b"
          aria-label="Search Hugging Face"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          data-testid="hf-search-input"
        />
        <button type="submit" className="button primary" disabled={hub.results?.status === "loading"} data-testid="hf-search-submit">
          Search
        </button>
      </form>
      <p className="muted small-text egress-note">
        Searching and downloading contact <strong>{hostOf(endpoint)}</strong>. Your chats never leave this computer.{" "}
        <button type="button" className="link-button" onClick={() => setView("settings")}>
          Change the source
        </button>
      </p>
      {hub.repo ? (
        <RepoView repo={hub.repo} />
      ) : hub.results === null ? null : hub.results.status === "loading" ? (
        <p className="muted">Searching…</p>
      ) : hub.results.status === "error" ? (
        <HubError error={hub.results.error} what="The search failed." />
      ) : hub.results.value.length === 0 ? (
        <p className="muted" data-testid="hf-no-results">
          No GGUF models match “{hub.query}”. Try a shorter name, such as the model family.
        </p>
      ) : (
        <ul className="hub-results" aria-label="Search results">
          {hub.results.value.map((model) => (
            <ResultItem key={model.repo} model={model} />
          ))}
        </ul>
      )}
    </>
  );
}
