import { defineConfig } from "vite";

// The built files are served by `ura serve --web web/dist` under a strict Content-Security-Policy
// (default-src 'self'): no inline scripts or styles, so no module-preload polyfill is inlined.
export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    target: "es2020",
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
  server: {
    // `npm run dev` against a running `ura serve --listen 127.0.0.1:8443`.
    proxy: { "/api": "http://127.0.0.1:8443" },
  },
});
