import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// The studio is served from a file:// URL in Electron and from the studio host's static route in the
// browser, so every asset path is relative (base './'). Monaco is bundled locally (no CDN) and split
// into its own chunk by the dynamic import in renderer/editor/, which keeps the first paint small.
/**
 * The entry (renderer/main.tsx) only starts the start-up host calls and then imports the app; this adds a
 * modulepreload link for the chunks the entry imports dynamically, so the browser fetches the app in parallel
 * with the entry instead of after it.
 */
function preloadEntryImports(): Plugin {
  return {
    name: 'hookline:preload-entry-imports',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        return (ctx.chunk?.dynamicImports ?? []).map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${file}` }, injectTo: 'head' as const }));
      },
    },
  };
}

export default defineConfig({
  // Paths relative to the repository root, where every build runs (npm scripts, scripts/*.mjs, the bench):
  // this file stays free of Node-only imports like the rest of renderer/.
  root: 'renderer',
  base: './',
  plugins: [react(), preloadEntryImports()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    sourcemap: false,
  },
  worker: { format: 'es' },
});
