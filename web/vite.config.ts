import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev`-style use: point DUALNOVA_API elsewhere when the server is not on 8080.
const API = process.env.DUALNOVA_API ?? 'http://127.0.0.1:8080';

// Root is web/; the server serves the build output (dist/web) at `/` with an SPA fallback.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: {
      '/api': { target: API, changeOrigin: false },
      '/healthz': { target: API },
      '/readyz': { target: API },
    },
  },
});
