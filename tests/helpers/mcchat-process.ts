import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { freshConfigHome } from './config-home.js';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(REPO_ROOT, 'node_modules/.bin/tsx');
const CLI = path.join(REPO_ROOT, 'electron/cli/mcchat.ts');

export interface McchatRun {
  readonly child: ChildProcessWithoutNullStreams;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
}

const running = new Set<ChildProcessWithoutNullStreams>();

/** Starts the CLI from source, as `npm run mcchat` does, with a clean environment for its options. */
export function startMcchat(args: readonly string[], env: NodeJS.ProcessEnv = {}): McchatRun {
  const child = spawn(TSX, [CLI, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, MCCHAT_IFACE: '', MCCHAT_NICK: '', MCCHAT_PROFILE: '', XDG_CONFIG_HOME: freshConfigHome(), ...env },
  });
  running.add(child);
  const run: McchatRun = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('exit', (code) => {
      running.delete(child);
      resolve(code);
    })),
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (run.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (run.stderr += chunk));
  return run;
}

/** Runs the CLI to completion, bounded in time. */
export async function runMcchat(args: readonly string[], timeoutMs = 15_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = startMcchat(args);
  const timer = setTimeout(() => run.child.kill('SIGKILL'), timeoutMs);
  const code = await run.exited;
  clearTimeout(timer);
  return { code, stdout: run.stdout, stderr: run.stderr };
}

/** Ends every CLI process this test file started (by its own handle, nothing else). */
export function killAllMcchat(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}
