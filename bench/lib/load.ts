import { nextEndpoint, type Endpoint } from './endpoints.js';
import { summarizeWorkerProfile } from './profiles.js';
import { BenchWorker } from './worker-host.js';
import type { SenderConfig, SenderReport } from '../workers/sender.js';
import type { ReceiverReport } from '../workers/bare-receiver.js';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A group of sender processes driving one load. */
export class SenderGroup {
  private constructor(private readonly workers: readonly BenchWorker[]) {}

  static async start(count: number, config: SenderConfig, name = 'sender'): Promise<SenderGroup> {
    const started = await Promise.allSettled(Array.from({ length: count }, (_, i) => BenchWorker.start('sender', { name: `${name}-${i}`, config })));
    const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value.worker] : []));
    const failure = started.find((s) => s.status === 'rejected');
    if (failure) {
      await Promise.all(workers.map((w) => w.stop()));
      throw failure.reason;
    }
    return new SenderGroup(workers);
  }

  async go(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.request('go')));
  }

  async mark(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.request('mark')));
  }

  /** Sent since the mark, summed over the senders. */
  async report(): Promise<{ sent: number; ms: number; cpuMs: number; sendErrors: number }> {
    const reports = await Promise.all(this.workers.map((w) => w.request<SenderReport>('report')));
    return {
      sent: reports.reduce((s, r) => s + r.sentSinceMark, 0),
      ms: Math.max(...reports.map((r) => r.msSinceMark)),
      cpuMs: reports.reduce((s, r) => s + r.cpuMsSinceMark, 0),
      sendErrors: reports.reduce((s, r) => s + r.sendErrors, 0),
    };
  }

  /** Waits until every sender has sent its total. */
  async finished(timeoutMs: number): Promise<void> {
    await Promise.all(this.workers.map((w) => w.next('finished', timeoutMs)));
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.stop()));
  }
}

export type ReceiverKind = 'bare' | 'core';

export interface PhaseResult {
  readonly receiver: ReceiverReport;
  readonly senders: { sent: number; ms: number; cpuMs: number; sendErrors: number };
  /** Top functions of the receiver's CPU profile in the measured window, when profiling. */
  readonly profile: string | null;
}

export interface PhaseOptions {
  readonly kind: ReceiverKind;
  readonly endpoint: Endpoint & { readonly keyHex?: string };
  /** Core receiver only: also watch its event-loop delay over the measured window. */
  readonly loopDelay?: boolean;
  readonly senders: SenderGroup;
  /** Start the senders once the receiver is up (the first phase of a load); later phases only get their hellos again. */
  readonly startSenders: boolean;
  readonly warmupMs: number;
  readonly measureMs: number;
  readonly profileDir: string | null;
  readonly name: string;
}

/** One receiver under an already defined load: warm up, mark, measure, report, stop. */
export async function measurePhase(options: PhaseOptions): Promise<PhaseResult> {
  const script = options.kind === 'bare' ? 'bare-receiver' : 'core-receiver';
  const { worker } = await BenchWorker.start(script, { name: options.name, config: options.loopDelay ? { ...options.endpoint, loopDelay: true } : options.endpoint, profileDir: options.profileDir });
  let measured: Omit<PhaseResult, 'profile'>;
  try {
    // go() on running senders only greets again: a later phase's receiver needs the keys too.
    await options.senders.go();
    await sleep(options.warmupMs);
    await Promise.all([worker.request('mark'), options.senders.mark()]);
    await sleep(options.measureMs);
    const [receiver, senders] = await Promise.all([worker.request<ReceiverReport>('report'), options.senders.report()]);
    measured = { receiver, senders };
  } finally {
    await worker.stop();
  }
  const profile = options.profileDir ? await summarizeWorkerProfile(options.profileDir, options.name, measured.receiver.window) : null;
  return { ...measured, profile };
}

export interface ComparisonOptions {
  readonly senderProcesses: number;
  readonly sender: Omit<SenderConfig, 'targets'>;
  /** Bare first, or core first: alternated over runs so neither always meets a fresher system. */
  readonly coreFirst: boolean;
  readonly warmupMs: number;
  readonly measureMs: number;
  readonly profileDir: string | null;
  /** Prefix of the workers' names (and of their profile folders). */
  readonly name: string;
  /** A passphrase room: the core receiver joins with this key (hex); give the senders the same. */
  readonly keyHex?: string;
}

/** The same senders feed a bare receiver and then the core (or the other way round), one at a time. */
export async function compareReceivers(options: ComparisonOptions): Promise<Record<ReceiverKind, PhaseResult>> {
  const endpoint = nextEndpoint();
  const senders = await SenderGroup.start(options.senderProcesses, { ...options.sender, targets: [endpoint] }, `${options.name}-sender`);
  try {
    const order: ReceiverKind[] = options.coreFirst ? ['core', 'bare'] : ['bare', 'core'];
    const results: Partial<Record<ReceiverKind, PhaseResult>> = {};
    for (const [index, kind] of order.entries()) {
      results[kind] = await measurePhase({
        kind,
        endpoint: kind === 'core' && options.keyHex ? { ...endpoint, keyHex: options.keyHex } : endpoint,
        senders,
        startSenders: index === 0,
        warmupMs: options.warmupMs,
        measureMs: options.measureMs,
        profileDir: options.profileDir,
        name: `${options.name}-${kind}`,
      });
    }
    const { bare, core } = results;
    if (!bare || !core) throw new Error('a phase did not run');
    return { bare, core };
  } finally {
    await senders.stop();
  }
}

/** Rates and costs of one phase, per second of the measured window. */
export function phaseRates(phase: PhaseResult): { sentPerS: number; socketPerS: number; deliveredPerS: number; dropPct: number; cpuPct: number; cpuUsPerDatagram: number } {
  const s = phase.receiver.ms / 1000;
  const sentPerS = phase.senders.sent / (phase.senders.ms / 1000);
  const socketPerS = phase.receiver.datagrams / s;
  return {
    sentPerS,
    socketPerS,
    deliveredPerS: phase.receiver.delivered / s,
    // Datagrams the senders sent that never reached the receiver's JavaScript: dropped by its socket.
    dropPct: sentPerS > 0 ? Math.max(0, 100 * (1 - socketPerS / sentPerS)) : 0,
    cpuPct: (100 * phase.receiver.cpuMs) / phase.receiver.ms,
    cpuUsPerDatagram: phase.receiver.datagrams > 0 ? (phase.receiver.cpuMs * 1000) / phase.receiver.datagrams : Number.NaN,
  };
}
