import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pollUntil, sleep, systemTool } from '../processes.js';

/**
 * One built `mcchat` inside one namespace, pinned (--iface) to that namespace's address. Every
 * output line is kept with the time it arrived here, so the lab can say how long a newcomer took
 * to see the history and the room. stdin stays open (a pipe) so `mcchat chat` keeps running and
 * can be fed lines. Each runs as the leader of its own process group (`ip netns exec` execs
 * `node`, so the PID is the CLI's), and is stopped by that PID only.
 */

export interface TimedLine {
  readonly at: number;
  readonly text: string;
}

export interface LabProcess {
  readonly label: string;
  readonly pid: number;
  readonly stdout: readonly TimedLine[];
  readonly stderr: readonly TimedLine[];
  readonly startedAt: number;
  exited(): boolean;
  write(text: string): void;
  waitForStderr(matches: (line: string) => boolean, timeoutMs: number): Promise<TimedLine>;
  /** SIGTERM (mcchat leaves, a second one at once), then SIGKILL to the group after `graceMs`. */
  stop(graceMs: number): Promise<void>;
  report(): string;
}

const running = new Set<LabProcess>();
const TAIL = 30;

export interface PeerSpec {
  readonly label: string;
  readonly namespace: string;
  readonly cli: string;
  /** This person's config folder (key, trust store): one per peer. */
  readonly configHome: string;
  readonly args: readonly string[];
}

function lineCollector(into: TimedLine[]): (chunk: Buffer) => void {
  let pending = '';
  return (chunk) => {
    pending += chunk.toString('utf8');
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    const at = Date.now();
    for (const text of parts) into.push({ at, text });
  };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

export function startPeer(spec: PeerSpec): LabProcess {
  mkdirSync(spec.configHome, { recursive: true });
  const argv = ['netns', 'exec', spec.namespace, process.execPath, spec.cli, ...spec.args];
  const child: ChildProcessWithoutNullStreams = spawn(systemTool('ip'), argv, {
    cwd: path.dirname(spec.cli),
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    // Not this machine's settings: only what the arguments say.
    env: { ...process.env, XDG_CONFIG_HOME: spec.configHome, MCCHAT_IFACE: '', MCCHAT_NICK: '', MCCHAT_PROFILE: '', MCCHAT_PASSPHRASE: '', NODE_ENV: 'production' },
  });
  const stdout: TimedLine[] = [];
  const stderr: TimedLine[] = [];
  let done = false;
  let spawnError = '';
  child.stdout.on('data', lineCollector(stdout));
  child.stderr.on('data', lineCollector(stderr));
  child.stdin.on('error', () => undefined);
  child.on('error', (error) => (spawnError = error.message));
  child.on('exit', () => (done = true));
  const pid = child.pid ?? -1;
  const describe = (): string =>
    [`$ ip ${argv.join(' ')}  [pid ${pid}, ${done ? `exit ${child.exitCode} ${child.signalCode ?? ''}` : 'running'}]`, '--- stdout ---', ...stdout.slice(-TAIL).map((l) => l.text), '--- stderr ---', ...stderr.slice(-TAIL).map((l) => l.text)].join('\n');
  const proc: LabProcess = {
    label: spec.label,
    pid,
    stdout,
    stderr,
    startedAt: Date.now(),
    exited: () => done,
    write: (text) => {
      if (!done) child.stdin.write(text);
    },
    waitForStderr: (matches, timeoutMs) =>
      pollUntil(
        () => stderr.find((line) => matches(line.text)),
        timeoutMs,
        () => `${spec.label}: waiting for a stderr line\n${describe()}`,
        () => (spawnError ? `could not start: ${spawnError}` : done ? 'exited early' : undefined),
      ),
    stop: async (graceMs) => {
      running.delete(proc);
      if (pid <= 0) return;
      if (!done) signalGroup(pid, 'SIGTERM');
      const deadline = Date.now() + graceMs;
      while (!done && Date.now() < deadline) await sleep(20);
      signalGroup(pid, 'SIGKILL');
    },
    report: describe,
  };
  running.add(proc);
  return proc;
}

/** Stops every peer started here and not yet stopped. */
export async function stopAllPeers(graceMs: number): Promise<void> {
  await Promise.all([...running].map((proc) => proc.stop(graceMs)));
}
