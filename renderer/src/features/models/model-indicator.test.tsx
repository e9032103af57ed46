import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { LoadedModel } from "../../api/contract.js";
import { handleEngineEvent } from "../../state/engine-actions.js";
import { useHearth } from "../../state/store.js";
import { ModelIndicatorView } from "./ModelIndicator.js";

const noop = () => undefined;
const loaded: LoadedModel = { modelId: "m1", name: "Qwen3 4B", contextSize: 4096, memoryBytes: 2_900_000_000, gpuLayers: 0 };

describe("the model indicator", () => {
  it("shows what is loaded, its memory, and Eject", () => {
    const html = renderToStaticMarkup(<ModelIndicatorView loaded={loaded} ejecting={false} onEject={noop} />);
    expect(html).toContain("Qwen3 4B");
    expect(html).toContain("2.9 GB in RAM");
    expect(html).toContain('data-testid="model-eject"');
    expect(html).toContain("4096-token context");
  });

  it("says when layers sit on the GPU", () => {
    expect(renderToStaticMarkup(<ModelIndicatorView loaded={{ ...loaded, gpuLayers: 36 }} ejecting={false} onEject={noop} />)).toContain("with GPU offload");
  });

  it("shows nothing when no model is in memory", () => {
    expect(renderToStaticMarkup(<ModelIndicatorView loaded={null} ejecting={false} onEject={noop} />)).toBe("");
  });

  it("follows the engine's events", () => {
    handleEngineEvent({ type: "loaded-model-changed", loaded });
    expect(useHearth.getState().loadedModel).toEqual(loaded);
    handleEngineEvent({ type: "loaded-model-changed", loaded: null });
    expect(useHearth.getState().loadedModel).toBeNull();
  });
});
