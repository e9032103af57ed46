import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

const here = fileURLToPath(new URL(".", import.meta.url));

// Renderer build. `base: "./"` makes asset URLs relative so the same build loads from app://hearth/ in
// Electron and from http://127.0.0.1:PORT/ in browser mode.
export default defineConfig({
  root: `${here}renderer`,
  base: "./",
  plugins: [react()],
  build: {
    outDir: `${here}dist/renderer`,
    emptyOutDir: true,
    target: "es2022",
    // Maps are written for debugging a build, but the bundle does not point at them and the package leaves
    // them out (electron-builder.yml), so the shipped app carries no sources.
    sourcemap: "hidden",
    // A local app: one bundle read from disk, so chunk size is not a network cost.
    chunkSizeWarningLimit: 1500,
  },
  server: { host: "127.0.0.1", strictPort: false },
});
