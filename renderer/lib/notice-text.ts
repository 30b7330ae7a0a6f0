import { refusalSourcesText } from '../../shared/refusal-text.js';
import type { Notice } from '../store/notices-slice.js';

/**
 * The core's sentences name the room, which its own notice strip does not need, and are long
 * for one line. The ones about traffic the key refuses get a shorter form here; anything else
 * is shown as the core wrote it. The full sentence stays available (title, screen readers).
 */
export function roomNoticeText(notice: Notice): string {
  const text = notice.message;
  const from = refusalSourcesText(notice.sources, notice.moreSources);
  if (notice.code === 'WRONG_PASSPHRASE') return `Messages here are encrypted with another passphrase than yours: check it with someone in the room.${from}`;
  if (notice.code === 'ENCRYPTION_MISMATCH') {
    if (/^Unencrypted datagrams/.test(text)) return `Unencrypted datagrams arrive and are not shown (a peer without the passphrase, or the lecture’s snippets).${from}`;
    if (/sends encrypted messages/.test(text)) return `Someone sends encrypted messages: join with the room’s passphrase to read them.${from}`;
  }
  return text;
}

// Main's sentence when a passphrase room's key cannot be kept (electron/shell/commands.ts).
const NO_KEYCHAIN = /^This computer has no keychain to keep the key of (.+) safely: you will be asked for its passphrase at the next start\.$/;

export interface AppNoticeLine {
  readonly key: string;
  readonly level: Notice['level'];
  readonly text: string;
  /** The notices this line stands for: dismissing it dismisses them all. */
  readonly ids: readonly number[];
  readonly count: number;
}

/** App-wide notices as lines: one per sentence, and one for all "no keychain" notices, whichever rooms they name. */
export function appNoticeLines(notices: readonly Notice[]): AppNoticeLine[] {
  const lines: AppNoticeLine[] = [];
  const keychainRooms: string[] = [];
  const keychainIds: number[] = [];
  for (const notice of notices) {
    const match = NO_KEYCHAIN.exec(notice.message);
    if (match?.[1]) {
      if (!keychainRooms.includes(match[1])) keychainRooms.push(match[1]);
      keychainIds.push(notice.id);
      continue;
    }
    lines.push({ key: String(notice.id), level: notice.level, text: notice.message, ids: [notice.id], count: notice.count });
  }
  if (keychainIds.length > 0) {
    const rooms = keychainRooms.sort((a, b) => a.localeCompare(b)).join(', ');
    lines.unshift({
      key: 'keychain',
      level: 'info',
      text: `No keychain on this computer to keep room keys: ${rooms} will ask for ${keychainRooms.length === 1 ? 'its' : 'their'} passphrase at the next start.`,
      ids: keychainIds,
      count: 1,
    });
  }
  return lines;
}
