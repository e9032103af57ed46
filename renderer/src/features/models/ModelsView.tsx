import type { ModelInfo } from "../../api/contract.js";
import { removeModel } from "../../state/actions.js";
import { useHearth } from "../../state/store.js";
import { formatBytes, formatParameters } from "../../ui/format.js";
import { ImportModelForm } from "./ImportModelForm.js";
import "./models.css";

function ModelCard({ model }: { model: ModelInfo }) {
  function remove() {
    if (window.confirm(`Remove ${model.name} from Hearth? The file itself stays on disk.`)) void removeModel(model.id);
  }
  return (
    <li className={`model-card${model.available ? "" : " unavailable"}`} data-testid="model-item" data-model-id={model.id}>
      <div className="model-card-head">
        <div>
          <div className="model-name">{model.name}</div>
          <div className="model-path" title={model.path}>
            {model.path}
          </div>
        </div>
        <button type="button" className="button ghost danger" onClick={remove} data-testid="remove-model">
          Remove
        </button>
      </div>
      {!model.available && (
        <div className="alert alert-warning" data-testid="model-unavailable">
          Unavailable: the file was moved or deleted. Import it again from its new place.
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
      </dl>
    </li>
  );
}

export function ModelsView() {
  const models = useHearth((s) => s.models);
  return (
    <section className="models-view" data-testid="models-view">
      <header className="page-header">
        <h1>Models</h1>
        <p className="muted">Models run on this computer. Importing reads the file in place; nothing is uploaded.</p>
      </header>
      <div className="panel">
        <h2>Import a model</h2>
        <ImportModelForm />
      </div>
      {models.length === 0 ? (
        <p className="muted">No models yet.</p>
      ) : (
        <ul className="model-list">
          {models.map((model) => (
            <ModelCard key={model.id} model={model} />
          ))}
        </ul>
      )}
    </section>
  );
}
