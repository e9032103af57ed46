import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));

// The preload runs sandboxed, where `require` knows only a few built-ins ("electron" among them) and never
// local files or ESM: so the contract and zod are bundled into one CommonJS file beside the main process build.
export default defineConfig({
  publicDir: false,
  // zod reads process.env in places; the sandbox's `process` is partial, so settle it at build time.
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
  build: {
    outDir: `${here}dist-electron`,
    emptyOutDir: false,
    copyPublicDir: false,
    target: "es2022",
    minify: false,
    sourcemap: false,
    lib: {
      entry: `${here}electron/preload.ts`,
      formats: ["cjs"],
      fileName: () => "preload.cjs",
    },
    rolldownOptions: {
      external: ["electron"],
    },
  },
});
