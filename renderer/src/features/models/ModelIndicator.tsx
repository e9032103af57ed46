import { useState } from "react";
import type { LoadedModel } from "../../api/contract.js";
import { ejectModel } from "../../state/engine-actions.js";
import { useHearth } from "../../state/store.js";
import { formatBytes } from "../../ui/format.js";
import "./models.css";

/** Where the loaded model's layers sit: all in RAM, or some offloaded to the GPU. */
function placeOf(loaded: LoadedModel): string {
  return loaded.gpuLayers === 0 ? "in RAM" : "with GPU offload";
}

export function ModelIndicatorView({ loaded, ejecting, onEject }: { loaded: LoadedModel | null; ejecting: boolean; onEject: () => void }) {
  if (!loaded) return null;
  const memory = `${formatBytes(loaded.memoryBytes)} ${placeOf(loaded)}`;
  return (
    <div className="model-indicator" data-testid="model-indicator" data-model-id={loaded.modelId} title={`${loaded.name}: ${memory}, ${loaded.contextSize}-token context`}>
      <span className="model-indicator-dot" aria-hidden="true" />
      <span className="model-indicator-text">
        <span className="model-indicator-name">{loaded.name}</span>
        <span className="model-indicator-memory" data-testid="model-indicator-memory">
          {memory}
        </span>
      </span>
      <button type="button" className="button small ghost" disabled={ejecting} onClick={onEject} data-testid="model-eject" aria-label={`Eject ${loaded.name} from memory`}>
        {ejecting ? "Ejecting…" : "Eject"}
      </button>
    </div>
  );
}

/** What the engine holds in memory now, and Eject to free it (the next message loads it again). */
export function ModelIndicator() {
  const loaded = useHearth((s) => s.loadedModel);
  const [ejecting, setEjecting] = useState(false);
  async function eject() {
    setEjecting(true);
    await ejectModel();
    setEjecting(false);
  }
  return <ModelIndicatorView loaded={loaded} ejecting={ejecting} onEject={() => void eject()} />;
}
