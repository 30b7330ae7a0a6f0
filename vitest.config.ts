import { defineConfig } from 'vitest/config';

/**
 * Slow files: real sockets, processes, Chromium, namespaces, captures, builds and large data.
 * Each waits for conditions, not for time, so a busy machine makes them slower, never red; they
 * run in `npm run test:slow` (and in `npm test`, which runs everything).
 */
export const SLOW = [
  'tests/lab/**/*.test.ts',
  'tests/netns/**/*.test.ts',
  'tests/e2e/**/*.test.ts',
  'tests/wire/**/*.test.ts',
  'tests/packaging/**/*.test.ts',
  'tests/shipping/**/*.test.ts',
  'tests/bench/**/*.test.ts',
  'tests/interop/**/*.test.ts',
  'tests/integration/**/*.test.ts',
  'tests/cli/**/*.test.ts',
  'tests/security/**/*.test.ts',
  'tests/hostile/**/*.live.test.ts',
  'electron/core/history/performance.test.ts',
  'electron/core/history/crash.test.ts',
];

// Projects: `unit` (the Node side: core, CLI, Electron glue with a mocked `electron`) and
// `renderer` (jsdom) are the fast ones, `npm run test:unit`; `slow` is everything in SLOW.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          // Worker threads start faster than forked processes: 49 s instead of 64 s for unit and
          // renderer together on 2 cores. The slow project keeps processes (it spawns and signals).
          pool: 'threads',
          include: ['electron/**/*.test.ts', 'shared/**/*.test.ts', 'tests/**/*.test.ts'],
          exclude: SLOW,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'renderer',
          environment: 'jsdom',
          pool: 'threads',
          include: ['renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['renderer/test-setup.ts'],
        },
      },
      {
        test: {
          name: 'slow',
          environment: 'node',
          include: SLOW,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
