/** One side of the bare latency baseline: plain dgram sockets sending and receiving the probe. */
import { assertSafeEndpoint, type Endpoint } from '../lib/endpoints.js';
import { closeSocket, loopbackReceiver, loopbackSender } from '../lib/loopback-socket.js';
import { hostNanos, pace, probeText, readProbe, sinceSentMs } from '../lib/pacer.js';
import { failStartup, post, serveCommands, workerConfig } from './io.js';

export interface LatencyConfig {
  readonly endpoint: Endpoint;
  readonly role: 'send' | 'receive';
  readonly textBytes: number;
}

export interface LatencyGo {
  readonly rate: number;
  readonly count: number;
}

export interface LatencyReport {
  /** One-way latency of each probe that arrived, in ms, by index (NaN where lost). */
  readonly samplesMs: number[];
  /** Core only: the same probes measured when the UI batcher pushed them. */
  readonly uiSamplesMs: number[];
  readonly received: number;
  readonly extra: Readonly<Record<string, number>>;
}

const config = workerConfig<LatencyConfig>();
assertSafeEndpoint(config.endpoint);
const { port, group } = config.endpoint;

if (config.role === 'send') {
  const socket = await loopbackSender().catch(failStartup);
  serveCommands({
    go: async (data) => {
      const { rate, count } = data as LatencyGo;
      await pace(rate, count, (i) => socket.send(probeText(i, config.textBytes), port, group));
      return null;
    },
    stop: async () => {
      await closeSocket(socket);
      process.exit(0);
    },
  });
} else {
  const socket = await loopbackReceiver(config.endpoint).catch(failStartup);
  const samples: number[] = [];
  let received = 0;
  socket.on('message', (data) => {
    const now = hostNanos();
    const probe = readProbe(data.toString('latin1'));
    if (!probe) return;
    received++;
    samples[probe.index] = sinceSentMs(probe, now);
  });
  serveCommands({
    report: (): LatencyReport => ({ samplesMs: Array.from(samples, (v) => v ?? Number.NaN), uiSamplesMs: [], received, extra: {} }),
    stop: async () => {
      await closeSocket(socket);
      process.exit(0);
    },
  });
}
post('ready');
