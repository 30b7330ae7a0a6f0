import { spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { onThisHost, sendMessage, startListener, type ListenedMessage } from '../netns/mcchat-driver.js';
import { runToExit, startProcess, stopAllProcesses, type RunningProcess } from '../netns/processes.js';

/**
 * The lecture's Python multicast snippets (tests/interop/seed_*.py, written the way the notes
 * do it) talking to `mcchat`, both directions, on loopback only: every socket is pinned to
 * 127.0.0.1 and each test uses its own free port.
 */

const LOOPBACK = '127.0.0.1';
const GROUP = '239.255.42.99';
const PYTHON = 'python3';
const SENDER_SCRIPT = fileURLToPath(new URL('./seed_sender.py', import.meta.url));
const RECEIVER_SCRIPT = fileURLToPath(new URL('./seed_receiver.py', import.meta.url));
const RECEIVE_TIMEOUT_S = 8;
const STEP_TIMEOUT_MS = 10_000;

interface PythonDatagram {
  readonly src: string;
  readonly hex: string;
  readonly utf8: boolean;
  readonly text: string | null;
}

/** A UDP port nobody on this host is bound to right now. */
async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, LOOPBACK, resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

async function startPythonReceiver(port: number): Promise<RunningProcess> {
  const receiver = startProcess(PYTHON, [RECEIVER_SCRIPT, GROUP, String(port), LOOPBACK, '1', String(RECEIVE_TIMEOUT_S)], { label: 'python receiver' });
  await receiver.waitForLine('stderr', (line) => line.startsWith('joined'), STEP_TIMEOUT_MS);
  return receiver;
}

async function datagramReceivedBy(receiver: RunningProcess): Promise<PythonDatagram> {
  const line = await receiver.waitForLine('stdout', (l) => l.startsWith('{'), STEP_TIMEOUT_MS);
  const status = await receiver.waitForExit(STEP_TIMEOUT_MS);
  expect(status.code, receiver.report()).toBe(0);
  return JSON.parse(line) as PythonDatagram;
}

async function pythonSend(port: number, text: string, ttl = 1): Promise<string> {
  const { status, proc } = await runToExit(PYTHON, [SENDER_SCRIPT, GROUP, String(port), String(ttl), LOOPBACK, text], { label: 'python sender', timeoutMs: STEP_TIMEOUT_MS });
  expect(status.code, proc.report()).toBe(0);
  const { src } = JSON.parse(proc.stdoutLines[0] ?? '{}') as { src?: string };
  if (!src) throw new Error(`python sender did not report its address\n${proc.report()}`);
  return src;
}

async function mcchatSend(port: number, text: string, raw: boolean): Promise<void> {
  const result = await sendMessage(onThisHost, { iface: LOOPBACK, port, text, raw, nick: 'mcchat-peer', label: `mcchat send${raw ? ' --raw' : ''}` });
  expect(result.status.code, result.report).toBe(0);
}

describe('the lecture Python snippets and mcchat, on loopback', () => {
  beforeAll(() => {
    const python = spawnSync(PYTHON, ['--version'], { encoding: 'utf8', timeout: 5_000 });
    if (python.status !== 0) throw new Error(`${PYTHON} is required for the interop tests (apt-get install python3): ${python.error?.message ?? python.stderr}`);
  });

  afterEach(async () => {
    await stopAllProcesses();
  });

  it('shows a Python datagram in mcchat listen as raw, with the Python socket as source', async () => {
    const port = await freeUdpPort();
    const listener = await startListener(onThisHost, { iface: LOOPBACK, port, count: 1, label: 'mcchat listen' });
    expect(listener.readyLine).toContain(LOOPBACK);

    const pythonSource = await pythonSend(port, 'Hello Everyone!');

    const status = await listener.process.waitForExit(STEP_TIMEOUT_MS);
    expect(status.code, listener.process.report()).toBe(0);
    const messages = listener.messages();
    expect(messages).toHaveLength(1);
    const message = messages[0] as ListenedMessage;
    expect(message).toMatchObject({ kind: 'raw', text: 'Hello Everyone!', src: pythonSource, ttl: null, nick: null, peerId: null, group: GROUP, port });
    expect(pythonSource.startsWith(`${LOOPBACK}:`)).toBe(true);
  });

  it('delivers mcchat send --raw to the Python receiver byte for byte', async () => {
    const port = await freeUdpPort();
    const receiver = await startPythonReceiver(port);
    const text = 'Hello from mcchat, raw: Grüße 👋';

    await mcchatSend(port, text, true);

    const datagram = await datagramReceivedBy(receiver);
    expect(Buffer.from(datagram.hex, 'hex').equals(Buffer.from(text, 'utf8'))).toBe(true);
    expect(datagram.text).toBe(text);
    expect(datagram.src.startsWith(`${LOOPBACK}:`)).toBe(true);
  });

  it("gives the Python receiver a chat frame that data.decode() reads whole: the header line, the text, the signature's line", async () => {
    const port = await freeUdpPort();
    const receiver = await startPythonReceiver(port);
    const text = 'Grüße aus dem Hörsaal 👋 — ☕';

    await mcchatSend(port, text, false);

    const datagram = await datagramReceivedBy(receiver);
    // Python's strict data.decode('utf-8') succeeded on the whole datagram (the signature is
    // base64url text on the last line, not 64 raw bytes that would raise UnicodeDecodeError).
    expect(datagram.utf8).toBe(true);
    const printed = datagram.text ?? '';
    expect(Buffer.from(printed, 'utf8').equals(Buffer.from(datagram.hex, 'hex'))).toBe(true);

    // What the student sees: `MCC2 {json}` on the first line, the message, the signature's line.
    const newline = printed.indexOf('\n');
    const lastNewline = printed.lastIndexOf('\n');
    expect(newline).toBeGreaterThan(0);
    const headerLine = printed.slice(0, newline);
    expect(headerLine.startsWith('MCC2 ')).toBe(true);
    const header = JSON.parse(headerLine.slice('MCC2 '.length)) as Record<string, unknown>;
    expect(header).toMatchObject({ t: 'chat', nick: 'mcchat-peer', ttl: 1 });
    expect(printed.slice(newline + 1, lastNewline)).toBe(text);
    expect(printed.slice(lastNewline + 1)).toMatch(/^[A-Za-z0-9_-]{86}$/);
    // Nothing around the text that a terminal would act on.
    const controls = [...printed.replace(text, '')].filter((ch) => (ch < ' ' && ch !== '\n') || ch === '\u007f');
    expect(controls).toEqual([]);
  });
});
