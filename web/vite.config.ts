/**
 * The web app's build (`vite build --config web/vite.config.ts`: web/dist,
 * served by OpenJules under /app) and its development server with hot reload
 * (`vite --config web/vite.config.ts`), which sends the API, the sign-in
 * routes and MCP to an OpenJules server on :3000 (or OPENJULES_URL).
 */
import { fileURLToPath } from "node:url";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));
const server = process.env.OPENJULES_URL ?? "http://localhost:3000";

export default defineConfig({
  root,
  base: "/app/",
  plugins: [react(), tailwindcss()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // No inline scripts or styles (the CSP allows 'self' only): small assets are files too.
    assetsInlineLimit: 0,
    sourcemap: true,
  },
  server: {
    proxy: {
      "/api": { target: server, changeOrigin: false },
      "/app/auth": { target: server, changeOrigin: false },
      "/mcp": { target: server, changeOrigin: false },
    },
  },
});
