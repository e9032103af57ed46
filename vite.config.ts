import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

const here = fileURLToPath(new URL(".", import.meta.url));
const require = createRequire(import.meta.url);

// Trusted Types (the CSP's require-trusted-types-for 'script'): the browser build of this package, which
// micromark uses for every `&name;` in an answer, decodes by writing to innerHTML, a sink the CSP refuses.
// Its plain build decodes from a table, so it is used in the browser too. (Resolved without the "browser"
// condition: Node's resolver picks the package's default export.)
const decodeNamedCharacterReference = require.resolve("decode-named-character-reference");
// Same for rehype-katex: the browser build of this package parses KaTeX's markup with DOMParser and innerHTML
// (Trusted Types sinks); its plain build parses with parse5, in JavaScript.
const fromHtmlIsomorphic = require.resolve("hast-util-from-html-isomorphic");

// Renderer build. `base: "./"` makes asset URLs relative so the same build loads from app://hearth/ in
// Electron and from http://127.0.0.1:PORT/ in browser mode.
export default defineConfig({
  root: `${here}renderer`,
  base: "./",
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^decode-named-character-reference$/, replacement: decodeNamedCharacterReference },
      { find: /^hast-util-from-html-isomorphic$/, replacement: fromHtmlIsomorphic },
    ],
  },
  build: {
    outDir: `${here}dist/renderer`,
    emptyOutDir: true,
    target: "es2022",
    // Maps are written for debugging a build, but the bundle does not point at them and the package leaves
    // them out (electron-builder.yml), so the shipped app carries no sources.
    sourcemap: "hidden",
    // A local app: one bundle read from disk, so chunk size is not a network cost.
    chunkSizeWarningLimit: 1500,
    // Fonts (KaTeX's) stay files: inlined as data: URLs, the CSP's font-src 'self' would refuse them.
    assetsInlineLimit: (file) => (/\.(woff2?|ttf|otf)$/i.test(file) ? false : undefined),
  },
  server: { host: "127.0.0.1", strictPort: false },
});
