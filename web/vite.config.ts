import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  // Recharts and React make one ~700 kB (200 kB gzipped) bundle; one request is fine for a dashboard.
  // No source maps: Amplify would serve them publicly next to the bundle (the CDK app drops any it finds too).
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 900 },
  // styles.css is read as text by a test that holds its tool colours to the tool table.
  test: { include: ['src/**/*.test.ts'], css: { include: [/styles\.css/] } },
});
