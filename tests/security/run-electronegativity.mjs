// Runs @doyensec/electronegativity over one folder, offline, for tests/security/electronegativity.test.ts.
//
//   node tests/security/run-electronegativity.mjs '{"input": "...", "sarif": "....sarif", "summary": "....json",
//     "electronVersion": "45.4.1", "exclude": ["SomeCheck"]}'
//
// Writes the findings as SARIF (electronegativity's own writer) and a JSON summary of what the SARIF
// cannot say: the files the tool listed, how many checks it loaded, and the files it failed to parse
// (which it otherwise only prints, so a file it cannot read would silently count as clean).
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const options = JSON.parse(process.argv[2] ?? '{}');
for (const key of ['input', 'sarif', 'summary', 'electronVersion']) {
  if (typeof options[key] !== 'string') throw new Error(`run-electronegativity: missing option "${key}"`);
}

const require = createRequire(import.meta.url);
const root = path.dirname(require.resolve('@doyensec/electronegativity/package.json'));
const fromTool = createRequire(path.join(root, 'dist', 'runner.js'));

// Every run first downloads "updated translations" of its messages from S3 (got, 1 s timeout; on
// failure it prints a line and goes on). Offline that is a wait and a failed request; online it
// would let a remote file change the finding texts. The tool's only other use of got is the
// Electron-releases check, which the test excludes. So got is replaced, for this process only, by
// a function that fails at once: the messages come from the translations shipped in the package.
const gotPath = fromTool.resolve('got');
const offline = () => Promise.reject(new Error('offline: tests/security makes no network requests'));
offline.head = offline;
fromTool.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: offline, children: [], paths: [] };
// The messages' locale is taken from LANG: English, whatever the machine's locale.
process.env.LANG = 'en-US';

const run = fromTool('./runner.js');
const { list_files: listFiles } = fromTool('./util/index.js');

const input = path.resolve(options.input);
const files = (await listFiles(input)) ?? [];
const result = await run({
  input,
  output: options.sarif,
  isSarif: true,
  isRelative: true,
  electronVersionOverride: options.electronVersion,
  customScan: [],
  excludeFromScan: options.exclude ?? [],
  parserPlugins: [],
});

await writeFile(
  options.summary,
  JSON.stringify(
    {
      files: files.map((file) => path.relative(input, file).split(path.sep).join('/')).sort(),
      globalChecks: result.globalChecks,
      atomicChecks: result.atomicChecks,
      errors: result.errors,
      issues: result.issues.length,
    },
    null,
    2,
  ),
);
