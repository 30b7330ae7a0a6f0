import type { ChatErrorInfo } from '../errors.js';

/** Commands answer with an envelope instead of throwing across IPC (electron#24427). */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ChatErrorInfo };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(error: ChatErrorInfo): Result<T> {
  return { ok: false, error };
}
