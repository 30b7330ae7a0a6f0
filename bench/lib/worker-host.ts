import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { WORKERS_DIR } from './paths.js';

/** Parent side of a benchmark worker: a child process spoken to over the IPC channel. */
export interface WorkerMessage {
  readonly type: string;
  readonly data?: unknown;
}

export interface StartOptions {
  /** Shown in errors and used to name the CPU profile. */
  readonly name: string;
  readonly config: unknown;
  /**
   * When set, the worker runs under --cpu-prof and writes its profiles into `<profileDir>/<name>/`
   * on exit (one per thread: tsx's loader runs in a thread of its own; see mainThreadProfile).
   */
  readonly profileDir?: string | null;
  readonly readyTimeoutMs?: number;
  /** More node flags, e.g. --expose-gc. */
  readonly nodeFlags?: readonly string[];
}

const running = new Set<BenchWorker>();
/** Where bundleWorkers() put the workers; null runs them from source under tsx. */
let bundleDir: string | null = null;

export function useBundledWorkers(dir: string | null): void {
  bundleDir = dir;
}

interface Waiter {
  readonly type: string;
  readonly resolve: (data: unknown) => void;
  readonly reject: (error: Error) => void;
}

export class BenchWorker {
  private readonly inbox: WorkerMessage[] = [];
  private readonly waiters: Waiter[] = [];
  private stderr = '';
  private exitCode: number | null | undefined = undefined;
  readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    child.on('message', (message: WorkerMessage) => {
      const index = this.waiters.findIndex((w) => w.type === message.type);
      const waiter = index >= 0 ? this.waiters.splice(index, 1)[0] : undefined;
      if (waiter) waiter.resolve(message.data);
      else this.inbox.push(message);
      if (message.type === 'fatal') this.failAll(new Error(`${name} failed: ${String(message.data)}`));
    });
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exitCode = code;
        running.delete(this);
        this.failAll(new Error(`${name} exited (code ${code}, signal ${signal})${this.stderr ? `: ${this.stderr.trim().slice(-1500)}` : ''}`));
        resolve();
      });
    });
  }

  /** Starts worker `script` (bundled, or from source under tsx) and waits for its 'ready' message. */
  static async start<T = unknown>(script: string, options: StartOptions): Promise<{ worker: BenchWorker; ready: T }> {
    const execArgv = [...(bundleDir ? [] : ['--import', 'tsx']), ...(options.nodeFlags ?? [])];
    if (options.profileDir) {
      execArgv.push('--cpu-prof', '--cpu-prof-interval=250', `--cpu-prof-dir=${path.join(options.profileDir, options.name)}`);
    }
    const file = bundleDir ? path.join(bundleDir, `${script}.mjs`) : path.join(WORKERS_DIR, `${script}.ts`);
    const child = fork(file, [JSON.stringify(options.config)], {
      execArgv,
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    const worker = new BenchWorker(options.name, child);
    running.add(worker);
    try {
      const ready = await worker.next<T>('ready', options.readyTimeoutMs ?? 20_000);
      return { worker, ready };
    } catch (error) {
      worker.kill();
      throw error;
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  send(cmd: string, data?: unknown): void {
    if (this.child.connected) this.child.send({ type: cmd, data });
  }

  /** The next message of `type` from the worker (one that already arrived counts). */
  next<T>(type: string, timeoutMs = 20_000): Promise<T> {
    const index = this.inbox.findIndex((m) => m.type === type);
    if (index >= 0) return Promise.resolve(this.inbox.splice(index, 1)[0]?.data as T);
    if (this.exitCode !== undefined) return Promise.reject(new Error(`${this.name} has exited`));
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(`${this.name}: no '${type}' within ${timeoutMs} ms${this.stderr ? `; stderr: ${this.stderr.trim().slice(-800)}` : ''}`));
      }, timeoutMs);
      const waiter: Waiter = {
        type,
        resolve: (data) => {
          clearTimeout(timer);
          resolve(data as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Sends `cmd` and waits for the worker's answer, which has the same type. */
  request<T>(cmd: string, data?: unknown, timeoutMs = 20_000): Promise<T> {
    const answer = this.next<T>(cmd, timeoutMs);
    this.send(cmd, data);
    return answer;
  }

  /** Asks the worker to close its sockets and exit (so a CPU profile gets written); kills it if it does not. */
  async stop(timeoutMs = 5_000): Promise<void> {
    if (this.exitCode !== undefined) return;
    this.send('stop');
    const timer = setTimeout(() => this.kill(), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Kills this worker's own process, by its handle (its PID), nothing else. */
  kill(): void {
    if (this.exitCode === undefined) this.child.kill('SIGKILL');
  }

  private failAll(error: Error): void {
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }
}

/** Stops every worker this process started (each by its own handle). */
export async function stopAllWorkers(): Promise<void> {
  await Promise.all([...running].map((w) => w.stop(2_000)));
}

export function killAllWorkers(): void {
  for (const worker of running) worker.kill();
}
