/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npm run dev` serves the UI on :5173 and proxies the API to `assay serve` on :8700
// (ASSAY_API_URL overrides). `npm run build` writes into the Python package, which serves it.
const api = process.env.ASSAY_API_URL ?? "http://127.0.0.1:8700";

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "../src/assay/server/static",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      "/api": api,
      "/v1": api,
      "/openapi.json": api,
    },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./vitest.setup.ts"],
    css: false,
  },
});
