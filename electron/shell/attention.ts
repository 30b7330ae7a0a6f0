import type { ChatMessage, CoreEvent } from '../../shared/events.js';
import { roomNotifyLevel, type Preferences } from '../../shared/preferences.js';
import { systemClock, type Clock, type TimerHandle } from '../core/clock.js';
import { mentions, messageText, summaryText, type NotificationText } from './notify-text.js';

/**
 * What needs the user's attention, decided in main from the core's events, the room the page
 * shows (reported by the renderer) and the window's focus (known here): the unread total for the
 * badge and tray, and which messages become a desktop notification. No Electron here.
 */

/** At most one notification per room this often; what comes meanwhile is summed up after it. */
export const BURST_MS = 5_000;
/** Message keys remembered to ignore a second copy (a repair of what had arrived after all). */
const SEEN_KEYS = 10_000;

export interface AttentionNotification extends NotificationText {
  readonly roomId: string;
}

export interface AttentionDeps {
  readonly subscribe: (listener: (event: CoreEvent) => void) => () => void;
  /** Our nickname now: "@nick" mentions follow a rename. */
  readonly nickname: () => string;
  /** The room's name as the user gave it (the id when it is gone). */
  readonly roomName: (roomId: string) => string;
  readonly preferences: () => Preferences;
  readonly notify: (notification: AttentionNotification) => void;
  /** The room was seen: its notification may go. */
  readonly withdraw?: (roomId: string) => void;
  /** The total changed. */
  readonly onUnread: (total: number) => void;
  readonly clock?: Clock;
}

export interface Attention {
  /** The room the page shows (null: none). */
  setView(roomId: string | null): void;
  setFocused(focused: boolean): void;
  unreadTotal(): number;
  dispose(): void;
}

interface Burst {
  lastShownAt: number;
  pending: number;
  mentioned: number;
  timer: TimerHandle | null;
}

function keyOf(message: ChatMessage): string {
  return `${message.roomId}\n${message.peerId ?? 'raw'}\n${message.id}`;
}

export function createAttention(deps: AttentionDeps): Attention {
  const clock = deps.clock ?? systemClock;
  let view: string | null = null;
  let focused = false;
  const unread = new Map<string, number>();
  const bursts = new Map<string, Burst>();
  const seen = new Set<string>();

  const total = (): number => [...unread.values()].reduce((sum, n) => sum + n, 0);
  const inView = (roomId: string): boolean => focused && view === roomId;

  const clearRoom = (roomId: string): void => {
    const burst = bursts.get(roomId);
    burst?.timer?.cancel();
    if (burst) Object.assign(burst, { pending: 0, mentioned: 0, timer: null });
    if (unread.delete(roomId)) deps.onUnread(total());
    deps.withdraw?.(roomId);
  };

  const rememberKey = (key: string): boolean => {
    if (seen.has(key)) return false;
    seen.add(key);
    if (seen.size > SEEN_KEYS) seen.delete(seen.values().next().value as string);
    return true;
  };

  const wantsNotification = (message: ChatMessage): { notify: boolean; mention: boolean } => {
    const prefs = deps.preferences();
    // Raw datagrams carry no verified sender: anyone could write "@ada" in one, so they never count as a mention.
    const mention = message.kind === 'chat' && mentions(message.text, deps.nickname());
    const level = roomNotifyLevel(prefs, message.roomId);
    const notify = prefs.notifications.enabled && level !== 'none' && (level === 'all' || mention);
    return { notify, mention };
  };

  const flush = (roomId: string): void => {
    const burst = bursts.get(roomId);
    if (!burst) return;
    burst.timer = null;
    const count = unread.get(roomId) ?? 0;
    if (burst.pending === 0 || count === 0) return;
    burst.lastShownAt = clock.now();
    deps.notify({ roomId, ...summaryText(deps.roomName(roomId), Math.max(count, burst.pending), burst.mentioned) });
    burst.pending = 0;
    burst.mentioned = 0;
  };

  const onMessage = (message: ChatMessage): void => {
    // Ours, or from before we joined (history answers, pages from disk): never new to the user.
    if (message.own || message.history || message.via === 'history') return;
    if (!rememberKey(keyOf(message))) return;
    if (inView(message.roomId)) return;
    unread.set(message.roomId, (unread.get(message.roomId) ?? 0) + 1);
    deps.onUnread(total());

    const { notify, mention } = wantsNotification(message);
    if (!notify) return;
    const now = clock.now();
    const burst = bursts.get(message.roomId) ?? { lastShownAt: -Infinity, pending: 0, mentioned: 0, timer: null };
    bursts.set(message.roomId, burst);
    if (now - burst.lastShownAt >= BURST_MS && burst.timer === null) {
      burst.lastShownAt = now;
      deps.notify({ roomId: message.roomId, ...messageText(deps.roomName(message.roomId), message.nick, message.text, mention) });
      return;
    }
    burst.pending++;
    if (mention) burst.mentioned++;
    burst.timer ??= clock.after(Math.max(0, burst.lastShownAt + BURST_MS - now), () => flush(message.roomId));
  };

  const unsubscribe = deps.subscribe((event) => {
    if (event.type === 'message') onMessage(event.message);
    else if (event.type === 'room' && event.room.status === 'left') clearRoom(event.room.roomId);
  });

  const lookedAt = (): void => {
    if (view !== null && focused) clearRoom(view);
  };

  return {
    setView(roomId) {
      view = roomId;
      lookedAt();
    },
    setFocused(value) {
      focused = value;
      lookedAt();
    },
    unreadTotal: total,
    dispose() {
      unsubscribe();
      for (const burst of bursts.values()) burst.timer?.cancel();
    },
  };
}
