/**
 * Command and event names with their IPC channels, free of zod so the sandboxed preload stays a
 * few kilobytes. contract.ts checks at compile time that this list matches its schemas.
 */
export const COMMAND_NAMES = [
  'getState',
  'setNickname',
  'joinRoom',
  'leaveRoom',
  'setTtl',
  'sendMessage',
  'getPeers',
  'getCounters',
  'getMeter',
  'getGroupView',
  'getMessageWire',
  'probeReach',
  'getHistory',
  'searchHistory',
  'checkRoom',
  'setPeerVerified',
  'openExternal',
  'rendererReady',
  'setViewState',
  'getPreferences',
  'setPreferences',
] as const;

export type CommandName = (typeof COMMAND_NAMES)[number];

export const EVENT_NAMES = ['core', 'notice', 'openRoom'] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** Namespaced so nothing else on ipcMain collides. */
export const commandChannel = (name: CommandName): string => `mcchat:cmd:${name}`;
export const eventChannel = (name: EventName): string => `mcchat:evt:${name}`;
