import { memo, useEffect, useRef, useState } from "react";
import type { ModelInfo } from "../../api/contract.js";
import { newChat, openConversation, openExternalLink, openModels, removeModel, reportError } from "../../state/actions.js";
import { loadModels } from "../../state/model-actions.js";
import { useHearth } from "../../state/store.js";
import { ConfirmDialog, questionParts } from "../../ui/ConfirmDialog.js";
import { formatBytes, formatParameters } from "../../ui/format.js";
import { deleteQuestion } from "./delete-question.js";
import { Markdown } from "../chat/markdown/Markdown.js";
import { ImportModelForm } from "./ImportModelForm.js";

function UsedBy({ model }: { model: ModelInfo }) {
  if (model.usedBy.length === 0) return <span className="muted">No chats yet</span>;
  return (
    <span className="used-by">
      {model.usedBy.map((c, i) => (
        <span key={c.id}>
          {i > 0 && ", "}
          <button type="button" className="link-button" onClick={() => void openConversation(c.id)}>
            {c.title || "New chat"}
          </button>
        </span>
      ))}
    </span>
  );
}

const InstalledModelCard = memo(function InstalledModelCard({ model, focused }: { model: ModelInfo; focused: boolean }) {
  const ref = useRef<HTMLLIElement>(null);
  const [asking, setAsking] = useState(false);
  useEffect(() => {
    if (focused) ref.current?.scrollIntoView({ block: "start", behavior: "smooth" });
  }, [focused]);
  const question = questionParts(deleteQuestion(model));

  return (
    <li
      ref={ref}
      className={`model-card${model.available ? "" : " unavailable"}${focused ? " focused" : ""}`}
      data-testid="model-item"
      data-model-id={model.id}
      data-source={model.source}
    >
      <div className="model-card-head">
        <div className="model-card-title">
          <div className="model-name">
            {model.name}{" "}
            <span className={`badge source-${model.source}`} data-testid="model-source">
              {model.source === "downloaded" ? "Downloaded" : "Imported"}
            </span>
          </div>
          {model.repo && <div className="model-repo">from {model.repo}</div>}
          <div className="model-path" title={model.path}>
            {model.path}
          </div>
        </div>
        <div className="model-card-actions">
          <button type="button" className="button small" disabled={!model.available} onClick={() => void newChat(model.id)} data-testid="model-new-chat">
            New chat
          </button>
          <button
            type="button"
            className="button small ghost danger"
            onClick={() => setAsking(true)}
            data-testid="model-delete"
          >
            {model.source === "downloaded" ? "Delete" : "Remove"}
          </button>
          {asking && (
            <ConfirmDialog
              title={question.title}
              confirmLabel={model.source === "downloaded" ? "Delete" : "Remove"}
              danger
              testId="model-delete-dialog"
              onConfirm={() => {
                setAsking(false);
                void removeModel(model.id);
              }}
              onCancel={() => setAsking(false)}
            >
              {question.paragraphs.map((text) => (
                <p key={text}>{text}</p>
              ))}
            </ConfirmDialog>
          )}
        </div>
      </div>
      {!model.available && (
        <div className="alert alert-warning" data-testid="model-unavailable">
          Unavailable: the file was moved or deleted. {model.source === "imported" ? "Import it again from its new place." : "Download it again."}
        </div>
      )}
      <dl className="model-meta">
        <div>
          <dt>Architecture</dt>
          <dd>{model.architecture}</dd>
        </div>
        <div>
          <dt>Parameters</dt>
          <dd>{formatParameters(model.parameters)}</dd>
        </div>
        <div>
          <dt>Quantization</dt>
          <dd>{model.quantization ?? "unknown"}</dd>
        </div>
        <div>
          <dt>Context length</dt>
          <dd>{model.trainContextLength?.toLocaleString() ?? "unknown"}</dd>
        </div>
        <div>
          <dt>Size</dt>
          <dd>{formatBytes(model.sizeBytes)}</dd>
        </div>
        <div>
          <dt>Chat template</dt>
          <dd>{model.hasChatTemplate ? "Yes" : "No (generic format)"}</dd>
        </div>
        <div className="model-meta-wide">
          <dt>Used by</dt>
          <dd data-testid="model-used-by">
            <UsedBy model={model} />
          </dd>
        </div>
      </dl>
      {model.card ? (
        <details className="model-doc" open={focused || undefined}>
          <summary>Model card</summary>
          <div className="model-doc-body" data-testid="model-card">
            <Markdown text={model.card} onOpenLink={openExternalLink} />
          </div>
        </details>
      ) : (
        <p className="model-doc-missing muted">No model card came with this file.</p>
      )}
    </li>
  );
});

/** My models: what is on this computer, with its card, who uses it, and how to remove it. */
export function InstalledModels() {
  const models = useHearth((s) => s.models);
  // "Used by" changes whenever a chat switches model; the core only announces file changes, so ask when shown.
  useEffect(() => {
    loadModels().catch(reportError);
  }, []);
  const focusedModelId = useHearth((s) => s.focusedModelId);
  return (
    <>
      {models.length === 0 ? (
        <div className="empty-state">
          <p>No models yet.</p>
          <p className="muted">
            Download one from the{" "}
            <button type="button" className="link-button" onClick={() => openModels("catalog")}>
              catalog
            </button>{" "}
            or{" "}
            <button type="button" className="link-button" onClick={() => openModels("search")}>
              Hugging Face
            </button>
            , or import a file below.
          </p>
        </div>
      ) : (
        <ul className="model-list">
          {models.map((model) => (
            <InstalledModelCard key={model.id} model={model} focused={model.id === focusedModelId} />
          ))}
        </ul>
      )}
      <div className="panel import-panel">
        <h2>Import a model file</h2>
        <p className="muted small-text">Hearth reads the file where it is; nothing is copied or uploaded.</p>
        <ImportModelForm />
      </div>
    </>
  );
}
