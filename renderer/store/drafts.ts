import { create } from 'zustand';
import { MAX_TEXT_BYTES } from '../../shared/protocol/constants.js';

/**
 * What the user has typed but not sent, per room, kept across room switches and restarts.
 * localStorage is per page origin, and each profile has its own Electron session, so drafts
 * stay within a profile. Bounded: a draft no longer than a message can be, and only the
 * rooms written to most recently, so a forgotten room cannot grow the storage for ever.
 */

const STORAGE_KEY = 'mcchat.drafts.v1';
export const MAX_DRAFT_CHARS = MAX_TEXT_BYTES;
export const MAX_DRAFTS = 50;
const SAVE_DELAY_MS = 300;

type Drafts = Readonly<Record<string, string>>;

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // A page without storage access (sandboxed, disabled) still keeps drafts for the session.
    return null;
  }
}

/** The stored drafts, with anything malformed or over the bounds left out. */
export function loadDrafts(): Drafts {
  const raw = storage()?.getItem(STORAGE_KEY);
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    const entries = Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '');
    return Object.fromEntries(entries.slice(-MAX_DRAFTS).map(([id, text]) => [id, text.slice(0, MAX_DRAFT_CHARS)]));
  } catch {
    return {};
  }
}

export const useDrafts = create<{ drafts: Drafts }>()(() => ({ drafts: loadDrafts() }));

let saveTimer: ReturnType<typeof setTimeout> | null = null;

/** Writes now what is waiting to be written (also when the page goes away). */
export function flushDrafts(): void {
  if (saveTimer !== null) clearTimeout(saveTimer);
  saveTimer = null;
  try {
    storage()?.setItem(STORAGE_KEY, JSON.stringify(useDrafts.getState().drafts));
  } catch {
    // Quota or privacy mode: the drafts stay in memory for this session.
  }
}

if (typeof window !== 'undefined') window.addEventListener('pagehide', flushDrafts);

export function setDraft(roomId: string, text: string): void {
  const bounded = text.slice(0, MAX_DRAFT_CHARS);
  useDrafts.setState(({ drafts }) => {
    // Re-inserted last, so the oldest-written rooms are the ones that fall off.
    const others: Record<string, string> = { ...drafts };
    delete others[roomId];
    const kept = Object.entries(others).slice(-(MAX_DRAFTS - 1));
    return { drafts: Object.fromEntries(bounded === '' ? kept : [...kept, [roomId, bounded]]) };
  });
  if (saveTimer === null) saveTimer = setTimeout(flushDrafts, SAVE_DELAY_MS);
}

const NO_DRAFT = '';
export const useDraft = (roomId: string): string => useDrafts((s) => s.drafts[roomId] ?? NO_DRAFT);

/** For tests: what is in localStorage now. */
export function resetDrafts(): void {
  if (saveTimer !== null) clearTimeout(saveTimer);
  saveTimer = null;
  useDrafts.setState({ drafts: loadDrafts() }, true);
}
