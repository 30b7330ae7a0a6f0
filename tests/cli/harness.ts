/**
 * Runs the real mcchat as a user would, in a home folder of its own (HOME and XDG_CONFIG_HOME
 * point into a temporary folder), from one bundle built per test file: `node mcchat.mjs` starts
 * in a fraction of a second where tsx takes one to five. Waits are for output, never for time.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

export interface CliRun {
  readonly child: ChildProcessWithoutNullStreams;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
  /** Resolves when `test(stdout, stderr)` holds; rejects with the output so far after `ms`. */
  until(test: (stdout: string, stderr: string) => boolean, ms?: number): Promise<void>;
}

export class CliHarness {
  private readonly temps: string[] = [];
  private readonly running = new Set<ChildProcessWithoutNullStreams>();
  private bundle = '';

  async build(): Promise<void> {
    const dir = this.tempDir('mcchat-bundle-');
    this.bundle = path.join(dir, 'mcchat.mjs');
    await build({
      entryPoints: [path.join(REPO_ROOT, 'electron/cli/mcchat.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: this.bundle,
      logLevel: 'silent',
    });
  }

  tempDir(prefix: string): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
    this.temps.push(dir);
    return dir;
  }

  /** A user of its own: a fresh home folder with nothing remembered. */
  newHome(): string {
    return this.tempDir('mcchat-home-');
  }

  start(args: readonly string[], home: string, env: NodeJS.ProcessEnv = {}): CliRun {
    const child = spawn(process.execPath, [this.bundle, ...args], {
      cwd: home,
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), MCCHAT_IFACE: '', MCCHAT_NICK: '', MCCHAT_PROFILE: '', MCCHAT_PASSPHRASE: '', ...env },
    });
    this.running.add(child);
    const listeners = new Set<() => void>();
    const run: CliRun = {
      child,
      stdout: '',
      stderr: '',
      exited: new Promise((resolve) => {
        child.on('exit', (code) => {
          this.running.delete(child);
          resolve(code);
        });
      }),
      // A safety net, not a timing: under a loaded CI machine a start took more than 15 s.
      until: (test, ms = 60_000) =>
        new Promise((resolve, reject) => {
          const check = (): void => {
            if (!test(run.stdout, run.stderr)) return;
            clearTimeout(timer);
            listeners.delete(check);
            resolve();
          };
          const timer = setTimeout(() => {
            listeners.delete(check);
            reject(new Error(`timed out waiting for mcchat ${args.join(' ')}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`));
          }, ms);
          listeners.add(check);
          check();
        }),
    };
    const notify = (): void => {
      for (const check of [...listeners]) check();
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      run.stdout += chunk;
      notify();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      run.stderr += chunk;
      notify();
    });
    return run;
  }

  /** Runs to the end, bounded in time (killed after `ms`). */
  async run(args: readonly string[], home: string, ms = 15_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const run = this.start(args, home);
    const timer = setTimeout(() => run.child.kill('SIGKILL'), ms);
    const code = await run.exited;
    clearTimeout(timer);
    return { code, stdout: run.stdout, stderr: run.stderr };
  }

  /** Ends only the processes this harness started, then removes its folders. */
  cleanup(): void {
    for (const child of this.running) child.kill('SIGKILL');
    this.running.clear();
    for (const dir of this.temps.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

/** A port of its own for each test, away from 4242 and other engineers' runs. */
export function randomPort(): number {
  return 20_000 + Math.floor(Math.random() * 20_000);
}

export const LOOPBACK = ['--iface', '127.0.0.1'] as const;
export const GROUP = '239.255.42.99';
