import { z } from 'zod';
import { ChatError, type ChatWarning } from './errors.js';
import { isAdminScopedMulticast, isFloodedBySnoopingSwitches, isIPv4, isLinkLocalMulticast, isMulticastIPv4 } from './ipv4.js';
import { DEFAULT_GROUP, DEFAULT_PORT, DEFAULT_TTL, MAX_NICK_LENGTH } from './protocol/constants.js';

/**
 * Characters that change how text after them is shown rather than showing themselves: control
 * characters (C0, DEL, C1: ESC starts terminal sequences, CR rewrites a line), line and paragraph
 * separators, and invisible format characters (bidi overrides and isolates U+202A–U+202E,
 * U+2066–U+2069, marks, zero-width spaces, tags). Zero-width joiner and non-joiner stay: emoji
 * sequences and scripts such as Persian need them, and they move nothing.
 * One rule for nicknames typed here and nicknames from the wire; the CLI escapes these in output.
 */
export const UNSAFE_TEXT_CHARS = /(?![\u200c\u200d])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
export const UNSAFE_TEXT_CHARS_GLOBAL = new RegExp(UNSAFE_TEXT_CHARS.source, 'gu');

/** Refusal message shared by the local and the wire nickname schemas. */
export const UNSAFE_NICK_MESSAGE = 'A nickname cannot contain control characters, line breaks or invisible formatting characters.';

export const nicknameSchema = z
  .string()
  .trim()
  .min(1, 'A nickname needs at least one character.')
  .max(MAX_NICK_LENGTH, `A nickname has at most ${MAX_NICK_LENGTH} characters.`)
  .refine((s) => !UNSAFE_TEXT_CHARS.test(s), UNSAFE_NICK_MESSAGE);

export const groupSchema = z
  .string()
  .trim()
  .refine(isIPv4, 'The group must be an IPv4 address such as 239.255.42.99.')
  .refine(isMulticastIPv4, 'The group must be a multicast address, between 224.0.0.0 and 239.255.255.255.');

export const portSchema = z
  .number({ error: 'The port must be a number.' })
  .int('The port must be a whole number.')
  .min(1, 'The port must be between 1 and 65535.')
  .max(65535, 'The port must be between 1 and 65535.');

export const ttlSchema = z
  .number({ error: 'The TTL must be a number.' })
  .int('The TTL must be a whole number between 0 and 255.')
  .min(0, 'The TTL must be between 0 and 255.')
  .max(255, 'The TTL must be between 0 and 255.');

export const ifaceSchema = z.string().trim().refine(isIPv4, 'The interface must be an IPv4 address of this machine, such as 127.0.0.1.');

/** What the user chooses for a room; the core fills in defaults. */
export const roomConfigSchema = z.object({
  name: z.string().trim().max(64, 'A room name has at most 64 characters.').optional(),
  group: groupSchema.default(DEFAULT_GROUP),
  port: portSchema.default(DEFAULT_PORT),
  ttl: ttlSchema.default(DEFAULT_TTL),
  /** IPv4 address of the interface to join and send on; absent means every suitable interface. */
  iface: ifaceSchema.optional(),
  loopback: z.boolean().default(true),
});

export type RoomConfigInput = z.input<typeof roomConfigSchema>;

/** A passphrase room's passphrase: crosses IPC once, to the main process that derives the key. */
export const passphraseSchema = z.string().min(1, 'The passphrase is empty.').max(1024, 'A passphrase has at most 1,024 characters.');
export type RoomConfig = z.output<typeof roomConfigSchema> & { name: string };

const FIELD_CODES = {
  group: 'INVALID_GROUP',
  port: 'INVALID_PORT',
  ttl: 'INVALID_TTL',
  iface: 'INVALID_INTERFACE',
  name: 'INVALID_ARGUMENT',
  loopback: 'INVALID_ARGUMENT',
} as const;

/** Parses a room's settings, or throws the ChatError of the first bad field. */
export function parseRoomConfig(input: unknown): RoomConfig {
  const result = roomConfigSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = issue?.path[0];
    const field = typeof key === 'string' && key in FIELD_CODES ? (key as keyof typeof FIELD_CODES) : 'name';
    const uiField = field === 'loopback' ? 'name' : field;
    throw new ChatError(FIELD_CODES[field], issue?.message ?? 'Invalid room settings.', uiField);
  }
  const config = result.data;
  return { ...config, name: config.name || `${config.group}:${config.port}` };
}

export function parseNickname(input: unknown): string {
  const result = nicknameSchema.safeParse(input);
  if (!result.success) throw new ChatError('INVALID_NICKNAME', result.error.issues[0]?.message ?? 'Invalid nickname.', 'nickname');
  return result.data;
}

/** Advice about a group that works but may surprise the user. */
export function groupWarnings(group: string, ttl: number): ChatWarning[] {
  const warnings: ChatWarning[] = [];
  if (isLinkLocalMulticast(group)) {
    warnings.push({
      code: 'LINK_LOCAL_GROUP',
      message: `${group} is in 224.0.0.0/24, the link-local block: routers never forward it${ttl > 1 ? `, so TTL ${ttl} still stays on this subnet` : ''}.`,
    });
  } else if (isFloodedBySnoopingSwitches(group)) {
    warnings.push({
      code: 'SNOOPING_FLOOD',
      message: `${group} shares its Ethernet address with 224.0.0.x, so IGMP-snooping switches flood it to every port. Prefer 239.255.x.y with a non-zero third byte.`,
    });
  }
  if (!isAdminScopedMulticast(group) && !isLinkLocalMulticast(group)) {
    warnings.push({
      code: 'NOT_ADMIN_SCOPED',
      message: `${group} is outside 239.0.0.0/8, the range meant for private use (RFC 2365); another application may use it.`,
    });
  }
  return warnings;
}
