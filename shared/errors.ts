/**
 * Every failure a user can meet has a code and one readable sentence. Codes are stable
 * (the renderer and the CLI switch on them); messages say what to do.
 */
export const CHAT_ERROR_CODES = [
  'INVALID_GROUP',
  'INVALID_PORT',
  'INVALID_TTL',
  'INVALID_INTERFACE',
  'INVALID_NICKNAME',
  'INVALID_ARGUMENT',
  'INTERFACE_NOT_FOUND',
  'NO_INTERFACE',
  'PORT_IN_USE',
  'PERMISSION_DENIED',
  'NO_SUCH_DEVICE',
  'ADDRESS_NOT_AVAILABLE',
  'NETWORK_ERROR',
  'TEXT_TOO_LONG',
  'EMPTY_TEXT',
  'ROOM_NOT_FOUND',
  'ROOM_EXISTS',
  'NOT_JOINED',
  'WRONG_PASSPHRASE',
  'ENCRYPTION_MISMATCH',
  'HISTORY_UNAVAILABLE',
  'HISTORY_WRITE_FAILED',
  'HISTORY_DAMAGED',
  /** A reach probe of this room is still running: one at a time per room. */
  'PROBE_RUNNING',
  'FORBIDDEN',
  'INTERNAL',
] as const;

export type ChatErrorCode = (typeof CHAT_ERROR_CODES)[number];

/** The serialisable form that crosses IPC and goes into JSON output. */
export interface ChatErrorInfo {
  readonly code: ChatErrorCode;
  readonly message: string;
  /** Which setting the error is about, so a form can show it inline. */
  readonly field?: 'group' | 'port' | 'ttl' | 'iface' | 'nickname' | 'name' | 'text';
}

export class ChatError extends Error {
  readonly code: ChatErrorCode;
  readonly field: ChatErrorInfo['field'];

  constructor(code: ChatErrorCode, message: string, field?: ChatErrorInfo['field']) {
    super(message);
    this.name = 'ChatError';
    this.code = code;
    this.field = field;
  }

  toInfo(): ChatErrorInfo {
    return this.field ? { code: this.code, message: this.message, field: this.field } : { code: this.code, message: this.message };
  }
}

export function isChatError(value: unknown): value is ChatError {
  return value instanceof ChatError;
}

/** Anything thrown, as something safe to show: never a stack trace. */
export function toErrorInfo(error: unknown): ChatErrorInfo {
  if (isChatError(error)) return error.toInfo();
  const detail = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `Something went wrong inside Multicast Chat: ${detail}` };
}

/** A warning is advice, not a refusal: the room still works. */
export interface ChatWarning {
  readonly code: 'LINK_LOCAL_GROUP' | 'SNOOPING_FLOOD' | 'LOOPBACK_ONLY' | 'PARTIAL_JOIN' | 'NOT_ADMIN_SCOPED' | 'NO_GROUP_FILTER' | 'WEAK_PASSPHRASE' | 'SEND_ONLY';
  readonly message: string;
}
