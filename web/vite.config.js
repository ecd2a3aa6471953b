import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The C server serves web/dist at "/" (SPA fallback to index.html);
// during `npm run dev` API calls are proxied to a local fazhi server.
export default defineConfig({
  plugins: [vue()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': process.env.FAZHI_API || 'http://127.0.0.1:18080',
    },
  },
})
