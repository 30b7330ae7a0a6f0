/**
 * The one wording for an interface fixed on the command line (--iface). It comes from
 * AppState.pinnedIface only: a room's own `iface` says what it was joined with, which for rooms
 * rejoined at start is the pin and for rooms added in the form is nothing, so it cannot say
 * whether the window is pinned.
 */
export const pinnedText = (iface: string): string => `Pinned to ${iface} (--iface)`;
