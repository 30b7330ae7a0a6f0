import { fileURLToPath } from 'node:url';
import { configHomeFor } from '../helpers/config-home.js';
import { z } from 'zod';
import { pollUntil, runToExit, startProcess, systemTool, type ExitStatus, type RunningProcess } from './processes.js';

/** Drives the `mcchat` command-line peer, on this host or inside a network namespace. */

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MCCHAT = ['node_modules/.bin/tsx', 'electron/cli/mcchat.ts'];

/** `mcchat …` as `place` runs it, in that place's own config folder. */
export function mcchatArgv(place: Place, args: readonly string[]): string[] {
  // One person per place (host): its own key and trust store, kept across its runs.
  return place.wrap([systemTool('env'), `XDG_CONFIG_HOME=${configHomeFor(place.label)}`, 'MCCHAT_PROFILE=', ...MCCHAT, ...args]);
}

export const DEFAULT_GROUP = '239.255.42.99';
export const DEFAULT_PORT = 4242;
const LISTENER_READY_TIMEOUT_MS = 15_000;
const SEND_TIMEOUT_MS = 15_000;

/** Where a command runs: wraps its argv. */
export interface Place {
  readonly label: string;
  wrap(argv: readonly string[]): string[];
}

export const onThisHost: Place = { label: 'host', wrap: (argv) => [...argv] };

export function inNamespace(namespace: string, label = namespace): Place {
  return { label, wrap: (argv) => [systemTool('ip'), 'netns', 'exec', namespace, ...argv] };
}

/** One line of `mcchat listen --json`. Extra fields are allowed. */
export const listenedMessageSchema = z.looseObject({
  kind: z.enum(['chat', 'raw']),
  text: z.string(),
  nick: z.string().nullable(),
  peerId: z.string().nullable(),
  src: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}:\d{1,5}$/),
  group: z.string(),
  port: z.number().int(),
  ttl: z.number().int().min(0).max(255).nullable(),
  ts: z.number(),
});
export type ListenedMessage = z.infer<typeof listenedMessageSchema>;

export interface Listener {
  readonly process: RunningProcess;
  /** The stderr line saying where it listens. */
  readonly readyLine: string;
  /** Milliseconds from spawn to that line. */
  readonly startupMs: number;
  /** Every stdout line parsed so far; throws if a line is not one valid message object. */
  messages(): ListenedMessage[];
  messagesWithText(text: string): ListenedMessage[];
  waitForText(text: string, timeoutMs: number): Promise<ListenedMessage>;
}

export interface ListenOptions {
  readonly iface: string;
  readonly group?: string;
  readonly port?: number;
  readonly count?: number;
  readonly nick?: string;
  readonly label: string;
}

export interface SendOptions {
  readonly iface: string;
  readonly text: string;
  readonly ttl?: number;
  readonly raw?: boolean;
  readonly nick?: string;
  readonly group?: string;
  readonly port?: number;
  readonly label: string;
}

export interface SendResult {
  readonly status: ExitStatus;
  /** Spawn to exit: mostly tsx start-up. */
  readonly durationMs: number;
  readonly report: string;
}

function groupAndPortArgs(options: { readonly group?: string; readonly port?: number }): string[] {
  return [...(options.group ? ['--group', options.group] : []), ...(options.port !== undefined ? ['--port', String(options.port)] : [])];
}

export function parseListenLine(line: string): ListenedMessage {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new Error(`mcchat listen --json printed a line that is not JSON: ${JSON.stringify(line)}`);
  }
  const parsed = listenedMessageSchema.safeParse(json);
  if (!parsed.success) throw new Error(`mcchat listen --json printed an unexpected object ${line}: ${parsed.error.message}`);
  return parsed.data;
}

/** Starts `mcchat listen --json` and resolves once it says (on stderr) that it has joined. */
export async function startListener(place: Place, options: ListenOptions): Promise<Listener> {
  const group = options.group ?? DEFAULT_GROUP;
  const args = ['listen', '--json', '--iface', options.iface, ...groupAndPortArgs(options), ...(options.count !== undefined ? ['--count', String(options.count)] : []), ...(options.nick !== undefined ? ['--nick', options.nick] : [])];
  const [command = '', ...rest] = mcchatArgv(place, args);
  const started = performance.now();
  const proc = startProcess(command, rest, { label: options.label, cwd: REPO_ROOT });
  const port = String(options.port ?? DEFAULT_PORT);
  const saysWhereItListens = (line: string): boolean => line.includes(group) && line.includes(port) && !line.includes('warning');
  const readyLine = await proc.waitForLine('stderr', saysWhereItListens, LISTENER_READY_TIMEOUT_MS);
  const startupMs = performance.now() - started;

  const messages = (): ListenedMessage[] => proc.stdoutLines.filter((line) => line.trim() !== '').map(parseListenLine);
  const messagesWithText = (text: string): ListenedMessage[] => messages().filter((message) => message.text === text);
  return {
    process: proc,
    readyLine,
    startupMs,
    messages,
    messagesWithText,
    waitForText: (text, timeoutMs) =>
      pollUntil(
        () => messagesWithText(text)[0],
        timeoutMs,
        () => `${options.label}: waiting for message ${JSON.stringify(text)}\n${proc.report()}`,
        () => (proc.exitStatus() ? `listener exited (code ${proc.exitStatus()?.code})` : undefined),
      ),
  };
}

/** Runs `mcchat send` to its end. */
export async function sendMessage(place: Place, options: SendOptions): Promise<SendResult> {
  const args = [
    'send',
    '--iface',
    options.iface,
    ...groupAndPortArgs(options),
    ...(options.ttl !== undefined ? ['--ttl', String(options.ttl)] : []),
    ...(options.raw ? ['--raw'] : []),
    ...(options.nick !== undefined ? ['--nick', options.nick] : []),
    options.text,
  ];
  const [command = '', ...rest] = mcchatArgv(place, args);
  const { status, durationMs, proc } = await runToExit(command, rest, { label: options.label, cwd: REPO_ROOT, timeoutMs: SEND_TIMEOUT_MS });
  return { status, durationMs, report: proc.report() };
}
