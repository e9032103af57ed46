import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// Tests run a real LLM engine on a 2-core machine: one file at a time, in forked processes, with long timeouts.
export default defineConfig({
  plugins: [react()],
  test: {
    include: [
      "electron/**/*.test.ts",
      "renderer/**/*.test.{ts,tsx}",
      "scripts/**/*.test.ts",
      "test/**/*.test.ts",
    ],
    exclude: ["node_modules/**", "dist/**", "dist-electron/**", "release/**"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    fileParallelism: false,
    globalSetup: ["test/global-temp-dir.ts"],
  },
});
