import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Child processes for the namespace and interop tests: line-buffered output, bounded waits, and
 * a stop that reaches the whole process group (tsx runs the script in a second node process).
 */

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface RunningProcess {
  readonly label: string;
  readonly pid: number;
  readonly stdoutLines: readonly string[];
  readonly stderrLines: readonly string[];
  /** Null while running. */
  exitStatus(): ExitStatus | null;
  /** Resolves with the first stdout/stderr line that matches, rejects on timeout or exit. */
  waitForLine(stream: 'stdout' | 'stderr', matches: (line: string) => boolean, timeoutMs: number): Promise<string>;
  waitForExit(timeoutMs: number): Promise<ExitStatus>;
  /** SIGTERM to the process group, SIGKILL after a grace period; safe to call twice. */
  stop(): Promise<void>;
  /** Command, status and captured output, for assertion messages. */
  report(): string;
}

export interface StartOptions {
  readonly label: string;
  readonly cwd?: string;
}

const POLL_MS = 20;
const STOP_GRACE_MS = 1_500;
const OUTPUT_TAIL_LINES = 40;

const running = new Set<RunningProcess>();

/** Admin tools live in sbin, which a non-login or sudo PATH may lack: look there too. */
const SBIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** Absolute path of an executable on PATH or in sbin; the bare name if none is found. */
export function systemTool(name: string): string {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean), ...SBIN_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return name;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns a value; gives up after `timeoutMs` or when `abort` says why. */
export async function pollUntil<T>(check: () => T | undefined, timeoutMs: number, describeWait: () => string, abort?: () => string | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    const reason = abort?.();
    if (reason !== undefined) throw new Error(`${describeWait()}: ${reason}`);
    if (Date.now() >= deadline) throw new Error(`${describeWait()}: timed out after ${timeoutMs} ms`);
    await sleep(POLL_MS);
  }
}

function splitLines(onLine: (line: string) => void): (chunk: Buffer) => void {
  let pending = '';
  return (chunk) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line.replace(/\r$/, ''));
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function tail(lines: readonly string[]): string {
  return lines.slice(-OUTPUT_TAIL_LINES).join('\n');
}

/** Starts `command` as the leader of a new process group, so stop() reaches its children too. */
export function startProcess(command: string, args: readonly string[], options: StartOptions): RunningProcess {
  const child = spawn(command, args, { cwd: options.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdoutLines: string[] = [];
  const stderrLines: string[] = [];
  let status: ExitStatus | null = null;
  let spawnError: Error | null = null;
  child.stdout.on('data', splitLines((line) => stdoutLines.push(line)));
  child.stderr.on('data', splitLines((line) => stderrLines.push(line)));
  child.on('error', (error) => (spawnError = error));
  child.on('exit', (code, signal) => (status = { code, signal }));
  const pid = child.pid ?? -1;

  const commandLine = [command, ...args].join(' ');
  const exitReason = (): string | undefined => {
    if (spawnError) return `could not start: ${spawnError.message}`;
    if (status) return `exited early (code ${status.code}, signal ${status.signal})`;
    return undefined;
  };

  const proc: RunningProcess = {
    label: options.label,
    pid,
    stdoutLines,
    stderrLines,
    exitStatus: () => status,
    waitForLine: (stream, matches, timeoutMs) => {
      const lines = stream === 'stdout' ? stdoutLines : stderrLines;
      return pollUntil(
        () => lines.find(matches),
        timeoutMs,
        () => `${options.label}: waiting for a ${stream} line\n${proc.report()}`,
        exitReason,
      );
    },
    waitForExit: (timeoutMs) =>
      pollUntil(
        () => status ?? undefined,
        timeoutMs,
        () => `${options.label}: waiting for exit\n${proc.report()}`,
        () => (spawnError ? `could not start: ${spawnError.message}` : undefined),
      ),
    stop: async () => {
      running.delete(proc);
      if (pid <= 0) return;
      if (!status) {
        signalGroup(pid, 'SIGTERM');
        const deadline = Date.now() + STOP_GRACE_MS;
        while (!status && Date.now() < deadline) await sleep(POLL_MS);
      }
      // The leader may be gone while a grandchild (tsx's node) still runs: finish the group.
      signalGroup(pid, 'SIGKILL');
    },
    report: () =>
      [
        `$ ${commandLine}  [pid ${pid}, ${status ? `exit code ${status.code} signal ${status.signal}` : 'running'}]`,
        `--- stdout ---\n${tail(stdoutLines)}`,
        `--- stderr ---\n${tail(stderrLines)}`,
      ].join('\n'),
  };
  running.add(proc);
  return proc;
}

/** Runs a command to its end within `timeoutMs`, killing it if it overstays. */
export async function runToExit(command: string, args: readonly string[], options: StartOptions & { readonly timeoutMs: number }): Promise<{ status: ExitStatus; durationMs: number; proc: RunningProcess }> {
  const started = performance.now();
  const proc = startProcess(command, args, options);
  try {
    const status = await proc.waitForExit(options.timeoutMs);
    return { status, durationMs: performance.now() - started, proc };
  } finally {
    await proc.stop();
  }
}

/** Stops every process started here and not yet stopped: for afterEach/afterAll. */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...running].map((proc) => proc.stop()));
}
