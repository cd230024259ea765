import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The server sends `script-src 'self'; style-src 'self'`: the build must emit only external
// scripts and stylesheets (no inline code, no CDN), which Vite does as long as nothing here adds
// them. `npm run dev -w web` proxies the server's paths to a local Entente on port 3000.
const server = process.env.ENTENTE_DEV_SERVER ?? 'http://127.0.0.1:3000';
const proxied = ['/api', '/ai', '/demo', '/.well-known', '/healthz', '/readyz', '/metrics'];

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Chromium, Firefox and Safari all support modulepreload; the polyfill is dead weight.
    modulePreload: { polyfill: false },
    // Inlined assets would become data: URLs; keep every asset a same-origin file.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      ...Object.fromEntries(proxied.map((path) => [path, { target: server, changeOrigin: false }])),
      '/collab': { target: server, ws: true },
    },
  },
});
