import { defineConfig } from 'vitest/config';

// Two projects: the Node side (core, CLI, Electron glue with a mocked `electron`) and the
// renderer in jsdom. Chromium end-to-end and namespace tests live under tests/ too and say
// themselves what they need.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['electron/**/*.test.ts', 'shared/**/*.test.ts', 'tests/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['renderer/test-setup.ts'],
        },
      },
    ],
  },
});
