import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import electron from 'vite-plugin-electron/simple';

// One config builds the three parts: the React page (root renderer/ → dist/renderer), the main
// process with the mcchat CLI (→ dist-electron/main.js, mcchat.js) and the preload
// (→ dist-electron/preload.cjs, one CommonJS file: a sandboxed preload cannot load chunks).
// `vite build` never needs the Electron binary; `vite` (npm start) serves the page and launches Electron.

const root = path.dirname(fileURLToPath(import.meta.url));
const at = (...parts: string[]): string => path.join(root, ...parts);
const outDir = at('dist-electron');

/** Runtime dependencies stay `import`s, resolved from node_modules inside app.asar. */
const runtimeDependencies = [/^zod(\/.*)?$/, /^unhomoglyph$/];
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/**
 * How `npm start` launches Electron: from the project folder (the plugin's default would be the
 * renderer root) and without the plugin's default `--no-sandbox`, unless MCCHAT_NO_SANDBOX=1
 * (Linux without user namespaces or a set-uid chrome-sandbox).
 */
const electronArgv = ['.', ...(process.env.MCCHAT_NO_SANDBOX === '1' ? ['--no-sandbox'] : [])];

/** The CLI's source starts with a hashbang that the bundler keeps; make sure the built file has one. */
const cliHashbang: Plugin = {
  name: 'mcchat-cli-hashbang',
  renderChunk(code, chunk) {
    if (!chunk.isEntry || chunk.name !== 'mcchat' || code.startsWith('#!')) return null;
    return `#!/usr/bin/env node\n${code}`;
  },
};

export default defineConfig({
  root: at('renderer'),
  base: './',
  plugins: [
    react(),
    electron({
      main: {
        entry: { main: at('electron/main.ts'), mcchat: at('electron/cli/mcchat.ts') },
        // Every rebuild of the main process restarts Electron.
        onstart: async ({ startup }) => {
          await startup(electronArgv, { cwd: root });
        },
        vite: {
          root,
          plugins: [cliHashbang],
          build: {
            outDir,
            emptyOutDir: false,
            sourcemap: false,
            minify: false,
            target: 'node20',
            rolldownOptions: {
              external: ['electron', ...nodeBuiltins, ...runtimeDependencies],
            },
          },
        },
      },
      preload: {
        input: at('electron/preload.ts'),
        // Whichever build finishes last starts Electron; a later preload rebuild only reloads the page.
        onstart: async ({ startup, reload }) => {
          if ((process as { electronApp?: unknown }).electronApp) reload();
          else await startup(electronArgv, { cwd: root });
        },
        vite: {
          root,
          build: {
            outDir,
            emptyOutDir: false,
            sourcemap: false,
            minify: false,
            target: 'node20',
            rolldownOptions: {
              // Only `electron` stays a require(); everything else (the contract, zod) is bundled in.
              external: ['electron'],
              output: {
                format: 'cjs',
                codeSplitting: false,
                entryFileNames: 'preload.cjs',
              },
            },
          },
        },
      },
    }),
  ],
  build: {
    outDir: at('dist/renderer'),
    emptyOutDir: true,
    sourcemap: false,
  },
});
