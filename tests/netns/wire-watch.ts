import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pollUntil, startProcess, systemTool, type RunningProcess } from './processes.js';

/**
 * tshark inside one of the test's namespaces, printing each datagram sent to a group as it is
 * captured: source, the IP TTL it arrived with, and the payload. This is what a student sees in
 * Wireshark on the far side of a router. Only ever run inside a namespace the test created.
 */

export interface SeenDatagram {
  readonly src: string;
  readonly ttl: number;
  readonly dstPort: number;
  readonly payload: Buffer;
}

export interface WireWatch {
  readonly process: RunningProcess;
  datagrams(): SeenDatagram[];
  /** Resolves once everything that reached the interface before this call has been printed. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 20_000;

function parseLine(line: string): SeenDatagram | null {
  const [src = '', ttl = '', port = '', hex = ''] = line.split('\t');
  if (!/^\d+$/.test(ttl)) return null;
  return { src, ttl: Number(ttl), dstPort: Number(port), payload: Buffer.from(hex.replace(/:/g, ''), 'hex') };
}

/** Debian's python3 first: a version manager's shim (pyenv) takes ~0.8 s a start. */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : systemTool('python3');

/** One multicast datagram sent from inside `namespace` (python3, as the lecture's snippets do). */
function sendProbe(namespace: string, address: string, group: string, port: number, text: string): string {
  const script = [
    'import socket, sys',
    's = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)',
    's.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)',
    's.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(sys.argv[1]))',
    's.sendto(sys.argv[4].encode(), (sys.argv[2], int(sys.argv[3])))',
  ].join('\n');
  const result = spawnSync(systemTool('ip'), ['netns', 'exec', namespace, PYTHON, '-c', script, address, group, String(port), text], { encoding: 'utf8', timeout: 10_000 });
  return result.status === 0 ? '' : `probe not sent (${String(result.error ?? result.status)}): ${result.stderr?.trim() ?? ''}`;
}

/**
 * Starts the capture on `iface` in `namespace` and returns once it is known to be live: a probe
 * sent from that namespace to `probePort` (not the room's port, so no peer sees it) shows up.
 */
export async function watchGroup(namespace: string, iface: string, address: string, group: string, probePort: number): Promise<WireWatch> {
  const args = ['netns', 'exec', namespace, systemTool('tshark'), '-i', iface, '-f', `udp and dst host ${group}`, '-n', '-l', '-T', 'fields', '-E', 'separator=\t', '-e', 'ip.src', '-e', 'ip.ttl', '-e', 'udp.dstport', '-e', 'udp.payload'];
  const proc = startProcess(systemTool('ip'), args, { label: `tshark in ${namespace}` });
  const datagrams = (): SeenDatagram[] => proc.stdoutLines.map(parseLine).filter((d): d is SeenDatagram => d !== null && d.dstPort !== probePort);
  let probes = 0;
  // Packets are printed in capture order: once a probe sent now is printed, so is all before it.
  const probeThrough = async (what: string): Promise<void> => {
    const probe = `capture probe ${process.pid} ${++probes}`;
    const printed = (): boolean => proc.stdoutLines.some((line) => {
      const datagram = parseLine(line);
      return datagram?.dstPort === probePort && datagram.payload.toString('utf8') === probe;
    });
    let sendError = '';
    await pollUntil(
      () => {
        if (printed()) return true;
        sendError = sendProbe(namespace, address, group, probePort, probe);
        return undefined;
      },
      READY_TIMEOUT_MS,
      () => `waiting for tshark to ${what} ${sendError}\n${proc.report()}`,
      () => (proc.exitStatus() ? `tshark exited: ${proc.stderrLines.slice(-3).join(' ')}` : undefined),
    );
  };
  await probeThrough('capture its first probe');
  return { process: proc, datagrams, flush: () => probeThrough('print a probe sent after the rest'), stop: () => proc.stop() };
}
