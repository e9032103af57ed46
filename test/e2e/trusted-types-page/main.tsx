// A page with the app's real Markdown renderer, built with the app's own Vite config, for
// test/e2e/trusted-types.e2e.test.ts: what an answer can contain must render under the renderer's CSP.
import "../../../electron/contract/zod-jitless.js";
import { createRoot } from "react-dom/client";
import { Markdown } from "../../../renderer/src/features/chat/markdown/Markdown.js";

declare global {
  interface Window {
    hearthMarkdown(text: string): void;
  }
}

const root = createRoot(document.getElementById("root")!);
window.hearthMarkdown = (text) => root.render(<Markdown text={text} onOpenLink={() => {}} />);
document.body.dataset.ready = "yes";
