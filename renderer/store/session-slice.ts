import type { InterfaceInfo } from '../../shared/events.js';

export type Phase = 'connecting' | 'ready' | 'failed';

export interface SessionSlice {
  readonly phase: Phase;
  /** Why the app could not start, as a sentence for the user. */
  readonly fatalError: string | null;
  readonly appVersion: string;
  readonly peerId: string;
  /** Our peer id in groups of four, for others to compare aloud. */
  readonly fingerprint: string;
  readonly nickname: string;
  readonly firstRun: boolean;
  readonly interfaces: readonly InterfaceInfo[];
  readonly pinnedIface: string | null;
  /**
   * Whether the window has the focus. A message in the open room of an unfocused window is
   * unread, as main counts it for the badge and the tray, so the title says the same number.
   */
  readonly windowFocused: boolean;
}

export const initialSessionSlice = (): SessionSlice => ({
  phase: 'connecting',
  fatalError: null,
  appVersion: '',
  peerId: '',
  fingerprint: '',
  nickname: '',
  firstRun: false,
  interfaces: [],
  pinnedIface: null,
  windowFocused: true,
});
