/** Child side of a benchmark worker: its config, its messages to the parent, its commands. */
import type { WorkerMessage } from '../lib/worker-host.js';

export function workerConfig<T>(): T {
  const raw = process.argv[2];
  if (!raw) throw new Error('worker started without a config argument');
  return JSON.parse(raw) as T;
}

export function post(type: string, data?: unknown): void {
  process.send?.({ type, data } satisfies WorkerMessage);
}

type Handler = (data: unknown) => unknown;

/**
 * Dispatches the parent's commands; every handler's result (awaited) is posted back as a message
 * of the command's type, a failure as 'fatal'. The worker exits when the parent goes away.
 */
export function serveCommands(handlers: Readonly<Record<string, Handler>>): void {
  process.on('message', (message: WorkerMessage) => {
    const handler = handlers[message.type];
    if (!handler) return post('fatal', `unknown command ${message.type}`);
    Promise.resolve()
      .then(() => handler(message.data))
      .then((result) => post(message.type, result))
      .catch((error: unknown) => post('fatal', error instanceof Error ? (error.stack ?? error.message) : String(error)));
  });
  process.on('disconnect', () => process.exit(0));
}

/** Reports a startup failure and exits. */
export function failStartup(error: unknown): never {
  post('fatal', error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
}

/** User plus system CPU time of this process, in microseconds. */
export function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Now on the clock V8 stamps CPU profile samples with (CLOCK_MONOTONIC), in microseconds. */
export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}
