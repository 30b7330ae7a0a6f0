import { parseArgs } from 'node:util';
import { z } from 'zod';
import { groupSchema, ifaceSchema, nicknameSchema, portSchema, ttlSchema } from '../../shared/room-config.js';
import { DEFAULT_GROUP, DEFAULT_PORT, DEFAULT_TTL } from '../../shared/protocol/constants.js';

export const COMMANDS = ['listen', 'send', 'chat'] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliOptions {
  readonly command: Command;
  readonly group: string;
  readonly port: number;
  readonly iface: string | undefined;
  readonly ttl: number;
  readonly nick: string;
  readonly loopback: boolean;
  readonly json: boolean;
  readonly count: number | undefined;
  readonly raw: boolean;
  readonly text: string | undefined;
  /** Folder for the room's history on disk (listen, chat); none when absent. */
  readonly history: string | undefined;
  /** A passphrase room's passphrase (from $MCCHAT_PASSPHRASE, so it does not show in `ps`). */
  readonly passphrase: string | undefined;
}

export type ParsedCli = { readonly kind: 'run'; readonly options: CliOptions } | { readonly kind: 'help' } | { readonly kind: 'version' };

/** A bad option or value: the CLI prints the message on one line and exits 2. */
export class UsageError extends Error {}

export const USAGE = `Usage: mcchat <command> [options]

Commands:
  listen            print every message received in the room
  send <text>       send one message and exit once it is on the wire
  chat              interactive: each line you type is sent; /help lists commands

Options:
  --group <addr>    multicast group (default ${DEFAULT_GROUP})
  --port <n>        UDP port (default ${DEFAULT_PORT})
  --iface <addr>    IPv4 address of the interface to use (default: $MCCHAT_IFACE, else every LAN interface)
  --ttl <0-255>     multicast TTL: 0 host, 1 subnet, 32 site, 64 region, 128 continent, 255 global (default ${DEFAULT_TTL})
  --nick <name>     your nickname (default: $MCCHAT_NICK, else your user name)
  --no-loopback     do not loop own datagrams back to programs on this host
  --json            listen: one JSON object per line on stdout
  --count <n>       listen: exit 0 after n messages (history answers are not printed or counted)
  --history <dir>   listen, chat: keep the room's history in <dir> (it survives restarts)
  $MCCHAT_PASSPHRASE  join a passphrase room: every datagram encrypted (AES-256-GCM)
  --raw             send: the bare text, no header (what the lecture's Python receiver prints)
  -h, --help        this help
  --version         print the version`;

function validate<T>(schema: z.ZodType<T>, value: unknown, option: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new UsageError(`--${option}: ${result.error.issues[0]?.message ?? 'invalid value'}`);
  return result.data;
}

/** Integers only: "12abc" or "1e3" is a typo, not 12 or 1000. */
function integer(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^-?\d{1,10}$/.test(text.trim())) throw new UsageError(`--${option}: "${text}" is not a whole number.`);
  return Number(text.trim());
}

export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv, defaultNick: string): ParsedCli {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      allowNegative: true,
      strict: true,
      options: {
        group: { type: 'string' },
        port: { type: 'string' },
        iface: { type: 'string' },
        ttl: { type: 'string' },
        nick: { type: 'string' },
        loopback: { type: 'boolean', default: true },
        json: { type: 'boolean', default: false },
        count: { type: 'string' },
        history: { type: 'string' },
        raw: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    // parseArgs names the option in its message, e.g. "Unknown option '--colour'".
    const message = error instanceof Error ? error.message : 'invalid arguments';
    throw new UsageError(message.split(/\.\s|\n/)[0] ?? message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const [command, ...rest] = positionals;
  if (command === undefined) throw new UsageError('missing command: listen, send or chat (see --help)');
  if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`unknown command "${command}": use listen, send or chat`);
  const cmd = command as Command;
  if (cmd === 'send' && rest.length === 0) throw new UsageError('send: the text to send is missing, e.g. mcchat send "hello"');
  if (cmd !== 'send' && rest.length > 0) throw new UsageError(`${cmd}: unexpected argument "${rest[0]}"`);
  if (values.raw && cmd !== 'send') throw new UsageError('--raw: only for send (in chat, type /raw <text>)');
  if ((values.count !== undefined || values.json) && cmd !== 'listen') throw new UsageError(`--${values.json ? 'json' : 'count'}: only for listen`);

  if (values.history !== undefined && cmd === 'send') throw new UsageError('--history: only for listen and chat');
  if (values.history !== undefined && values.history.trim() === '') throw new UsageError('--history: the folder is missing');
  const count = integer(values.count, 'count');
  if (count !== undefined && count < 1) throw new UsageError('--count: must be at least 1');
  const ifaceText = values.iface ?? (env['MCCHAT_IFACE'] || undefined);

  return {
    kind: 'run',
    options: {
      command: cmd,
      group: validate(groupSchema, values.group ?? DEFAULT_GROUP, 'group'),
      port: validate(portSchema, integer(values.port, 'port') ?? DEFAULT_PORT, 'port'),
      iface: ifaceText === undefined ? undefined : validate(ifaceSchema, ifaceText, 'iface'),
      ttl: validate(ttlSchema, integer(values.ttl, 'ttl') ?? DEFAULT_TTL, 'ttl'),
      nick: validate(nicknameSchema, values.nick ?? (env['MCCHAT_NICK'] || defaultNick), 'nick'),
      loopback: values.loopback,
      json: values.json,
      count,
      raw: values.raw,
      text: cmd === 'send' ? rest.join(' ') : undefined,
      history: values.history,
      passphrase: env['MCCHAT_PASSPHRASE'] || undefined,
    },
  };
}
