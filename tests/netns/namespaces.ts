import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { systemTool } from './processes.js';

/**
 * Network namespaces our test runs make are named `<prefix><pid>…` (or `<prefix>probe<pid>`), so
 * a later run can tell which ones a dead run left behind and delete them, and never touches a
 * namespace it did not make.
 */
const COMMAND_TIMEOUT_MS = 5_000;
const IP = systemTool('ip');

export function namespacesWithPrefix(prefix: string): string[] {
  let listing = '';
  try {
    listing = execFileSync(IP, ['netns', 'list'], { encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    return [];
  }
  return listing
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(prefix));
}

/** The PID of the test run that made a namespace (or work dir) named with `prefix`. */
export function ownerPidOf(prefix: string, name: string): number | null {
  const match = new RegExp(`^${prefix}(?:probe)?(\\d+)`).exec(name);
  return match?.[1] ? Number(match[1]) : null;
}

/** Running and not a zombie: a killed test run's worker can stay a zombie for a while. */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Kills what runs inside (only ever processes our tests started there), then deletes it. */
export function deleteNamespace(namespace: string): void {
  const result = spawnSync(IP, ['netns', 'pids', namespace], { encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS });
  const pids = (result.stdout ?? '')
    .split(/\s+/)
    .filter((token) => /^\d+$/.test(token))
    .map(Number);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  spawnSync(IP, ['netns', 'del', namespace], { stdio: 'ignore', timeout: COMMAND_TIMEOUT_MS });
}
