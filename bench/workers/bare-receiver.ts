/** The baseline: a bare dgram receiver that only counts, opened the way the core opens its socket. */
import { assertSafeEndpoint, type Endpoint } from '../lib/endpoints.js';
import { closeSocket, loopbackReceiver } from '../lib/loopback-socket.js';
import { cpuMicros, failStartup, monotonicMicros, post, serveCommands, workerConfig } from './io.js';

export interface ReceiverReport {
  /** Datagrams handed to JavaScript by the socket since the mark. */
  readonly datagrams: number;
  /** Datagrams that made it all the way through (for the bare receiver: the same). */
  readonly delivered: number;
  readonly ms: number;
  readonly cpuMs: number;
  readonly extra: Readonly<Record<string, number>>;
  /** The measured window on the CPU profile's clock, to summarise only that part of a profile. */
  readonly window: { readonly fromUs: number; readonly toUs: number };
}

const endpoint = workerConfig<Endpoint>();
assertSafeEndpoint(endpoint);
let count = 0;
let bytes = 0;
const socket = await loopbackReceiver(endpoint).catch(failStartup);
socket.on('message', (data) => {
  count++;
  bytes += data.length;
});

let mark = { count: 0, at: performance.now(), cpu: cpuMicros(), us: monotonicMicros() };
serveCommands({
  mark: () => {
    mark = { count, at: performance.now(), cpu: cpuMicros(), us: monotonicMicros() };
    return null;
  },
  report: (): ReceiverReport => {
    const datagrams = count - mark.count;
    return { datagrams, delivered: datagrams, ms: performance.now() - mark.at, cpuMs: (cpuMicros() - mark.cpu) / 1000, extra: { bytes }, window: { fromUs: mark.us, toUs: monotonicMicros() } };
  },
  stop: async () => {
    await closeSocket(socket);
    process.exit(0);
  },
});
post('ready');
