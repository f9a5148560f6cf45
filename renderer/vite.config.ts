import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// The studio is served from a file:// URL in Electron and from the studio host's static route in the
// browser, so every asset path is relative (base './'). Monaco is bundled locally (no CDN) and split
// into its own chunk by the dynamic import in renderer/editor/, which keeps the first paint small.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    sourcemap: false,
  },
  worker: { format: 'es' },
});
