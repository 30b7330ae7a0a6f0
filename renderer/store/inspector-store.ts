import { create } from 'zustand';
import type { ChatMessage } from '../../shared/events.js';

/**
 * How the page shows things, apart from what the core reports: the message whose wire story is
 * open, and presenter mode. Its own small store, so choosing a message never touches the chat
 * state that thousands of rows read.
 */
export interface InspectorState {
  /** The message whose wire story is open; shown while its room is the selected one. */
  readonly inspected: ChatMessage | null;
  /** Large text, strong contrast, the newest message's wire story: for a projector. */
  readonly presenter: boolean;
}

/**
 * Presenter mode lives in the preferences main saves (see preferences-store); this copy in the
 * page's own storage (per profile) only makes the first paint right before main has answered.
 */
export const PRESENTER_KEY = 'mcchat:presenter';

export function readPresenter(): boolean {
  try {
    return globalThis.localStorage?.getItem(PRESENTER_KEY) === '1';
  } catch {
    // Storage refused (a sandboxed page): the mode simply starts off.
    return false;
  }
}

export function writePresenter(on: boolean): void {
  try {
    if (on) globalThis.localStorage?.setItem(PRESENTER_KEY, '1');
    else globalThis.localStorage?.removeItem(PRESENTER_KEY);
  } catch {
    // Not saved: the mode still applies until the window closes.
  }
}

export const useInspectorStore = create<InspectorState>()(() => ({ inspected: null, presenter: readPresenter() }));

export function inspectMessage(message: ChatMessage): void {
  useInspectorStore.setState({ inspected: message });
}

export function closeInspector(): void {
  useInspectorStore.setState({ inspected: null });
}

export function setPresenter(on: boolean): void {
  writePresenter(on);
  useInspectorStore.setState({ presenter: on });
}

/** The message open in the inspector if it belongs to `roomId`. */
export const useInspected = (roomId: string | null): ChatMessage | null =>
  useInspectorStore((s) => (s.inspected !== null && s.inspected.roomId === roomId ? s.inspected : null));

export const usePresenter = (): boolean => useInspectorStore((s) => s.presenter);

/** True for the one row whose message is open: each row subscribes to a boolean, so only two rows redraw on a change. */
export const useIsInspected = (message: ChatMessage): boolean =>
  useInspectorStore((s) => s.inspected !== null && s.inspected.roomId === message.roomId && s.inspected.kind === message.kind && s.inspected.id === message.id && s.inspected.peerId === message.peerId);

/** For tests: back to the start, presenter off and forgotten. */
export function resetInspectorStore(): void {
  writePresenter(false);
  useInspectorStore.setState({ inspected: null, presenter: false }, true);
}
