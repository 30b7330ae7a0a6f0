import type { McchatApi } from '../shared/ipc/contract.js';
import type { Result } from '../shared/ipc/result.js';

declare global {
  interface Window {
    /** Exposed by the preload script; absent when the page is opened outside Electron. */
    readonly mcchat?: McchatApi;
  }
}

// Components reach the main process only through here, so a test or the demo can swap in a fake.
let current: McchatApi | null = null;

export function setApi(api: McchatApi | null): void {
  current = api;
}

/** The preload's API, or null when this page runs outside the Electron window. */
export function findPreloadApi(): McchatApi | null {
  return typeof window !== 'undefined' ? (window.mcchat ?? null) : null;
}

export function getApi(): McchatApi {
  current ??= findPreloadApi();
  if (!current) throw new Error('window.mcchat is missing: this page must run inside the Multicast Chat window.');
  return current;
}

/**
 * Runs one command. Commands answer with a Result, but the IPC call itself can still reject
 * (main restarted, handler crashed); that becomes a failed Result too, so callers handle one shape.
 */
export async function invoke<T>(command: (api: McchatApi) => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await command(getApi());
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      error: {
        code: 'INTERNAL',
        message: `Multicast Chat's background process did not answer (${detail}). Restart the app if this keeps happening.`,
      },
    };
  }
}
