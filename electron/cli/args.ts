import { parseArgs } from 'node:util';
import { z } from 'zod';
import { groupSchema, ifaceSchema, nicknameSchema, portSchema, ttlSchema } from '../../shared/room-config.js';
import { DEFAULT_GROUP, DEFAULT_PORT, DEFAULT_TTL } from '../../shared/protocol/constants.js';

export const COMMANDS = ['listen', 'send', 'chat', 'probe', 'doctor'] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliOptions {
  readonly command: Command;
  readonly group: string;
  readonly port: number;
  readonly iface: string | undefined;
  /** Where the interface came from ("--iface" or "MCCHAT_IFACE"), for errors about it. */
  readonly ifaceSource: string | undefined;
  readonly ttl: number;
  /** The nickname asked for (--nick, else $MCCHAT_NICK); undefined: the profile's default. */
  readonly nick: string | undefined;
  /** A second identity on this host (--profile, else $MCCHAT_PROFILE); null: the default one. */
  readonly profile: string | null;
  readonly loopback: boolean;
  /** listen, probe, doctor: one JSON object per line on stdout. */
  readonly json: boolean;
  /** probe: the highest TTL to try (1, 2, … up to it). */
  readonly ttlMax: number;
  readonly count: number | undefined;
  /** listen: print every counter when it ends. */
  readonly stats: boolean;
  /** listen: only listen (no hello, no history request, nothing sent). */
  readonly passive: boolean;
  readonly raw: boolean;
  readonly text: string | undefined;
  /** Folder for the room's history on disk (listen, chat); none when absent. */
  readonly history: string | undefined;
  /** A passphrase room's passphrase (from $MCCHAT_PASSPHRASE, so it does not show in `ps`). */
  readonly passphrase: string | undefined;
}

/** probe: TTL 1 to 8 covers a campus (up to 7 routers) in under 3 s. */
export const DEFAULT_TTL_MAX = 8;

export type ParsedCli = { readonly kind: 'run'; readonly options: CliOptions } | { readonly kind: 'help' } | { readonly kind: 'version' };

/** A bad option or value: the CLI prints the message on one line and exits 2. */
export class UsageError extends Error {}

export const USAGE = `Usage: mcchat <command> [options]

Commands:
  listen            print every message received in the room; it announces itself (hello) and
                    asks for recent history like any member (--passive: only listens)
  send <text>       send one message; stays up to 5 s to resend it to anyone who missed it
  chat              interactive: each line you type is sent; /help lists commands
  probe             how far does a TTL reach? sends probes at TTL 1, 2, … and lists, per TTL, the
                    peers it first reached (members answer: the app, chat, listen unless --passive)
  doctor            checks this machine for multicast: interfaces, the OS's memberships, a loopback
                    self-test, and the usual blockers (firewall, rp_filter, network profile)

Options:
  --group <addr>    multicast group (default ${DEFAULT_GROUP})
  --port <n>        UDP port (default ${DEFAULT_PORT})
  --iface <addr>    IPv4 address of the interface to use (default: $MCCHAT_IFACE, else every LAN interface)
  --ttl <0-255>     multicast TTL: 0 host, 1 subnet, 32 site, 64 region, 128 continent, 255 global (default ${DEFAULT_TTL})
  --nick <name>     your nickname (default: $MCCHAT_NICK, else the one set with /nick in chat, else your user name)
  --profile <name>  a second identity on this host, with its own key and known peers (default: $MCCHAT_PROFILE);
                    letters, digits, _ and -, at most 32
  --no-loopback     do not loop own datagrams back to programs on this host
  --json            listen, probe, doctor: one JSON object per line on stdout
  --ttl-max <n>     probe: the highest TTL to try, 1-255 (default ${DEFAULT_TTL_MAX})
  --count <n>       listen: exit 0 after n messages (history answers are not printed or counted)
  --stats           listen: print every counter and each peer's meter when it ends
                    (with --json: {"kind":"stats","peers":[...],"counters":{...}})
  --passive         listen: send nothing at all (no hello, no history request): for demos next to other programs
  --history <dir>   listen, chat: keep the room's history in <dir> (it survives restarts)
  $MCCHAT_PASSPHRASE  join a passphrase room: every datagram encrypted (AES-256-GCM)
  --raw             send: the bare text, no header (what the lecture's Python receiver prints)
  -h, --help        this help
  --version         print the version

Your key (peer id, fingerprint) and the peers you have seen are kept in your config folder
(mcchat/ under $XDG_CONFIG_HOME or ~/.config, %APPDATA%, ~/Library/Application Support), so they
stay the same from run to run. Two runs at once on one host use two keys (the second one's
default nickname gets a -2).`;

/** Same rule as the app's --profile: the name becomes part of a folder name. */
export const profileNameSchema = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'a profile name has 1 to 32 letters, digits, "_" or "-".');

/** `source` is what the user should fix: "--ttl", or "MCCHAT_IFACE" when the value came from there. */
function validate<T>(schema: z.ZodType<T>, value: unknown, source: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new UsageError(`${source}: ${result.error.issues[0]?.message ?? 'invalid value'}`);
  return result.data;
}

const VALUE_OPTIONS = ['group', 'port', 'iface', 'ttl', 'ttl-max', 'nick', 'count', 'history', 'profile'] as const;

/**
 * parseArgs takes "-1" after "--ttl" for an option and calls the value ambiguous. A value option
 * followed by something starting with one dash ("-1", "-bob") takes it as its value, so the
 * value's own check can say what is wrong with it ("The TTL must be between 0 and 255").
 */
function joinDashValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const next = argv[i + 1];
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if ((VALUE_OPTIONS as readonly string[]).includes(arg.slice(2)) && arg.startsWith('--') && next !== undefined && /^-(?!-)./.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

function fromEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** Integers only: "12abc" or "1e3" is a typo, not 12 or 1000. */
function integer(text: string | undefined, option: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^-?\d{1,10}$/.test(text.trim())) throw new UsageError(`--${option}: "${text}" is not a whole number.`);
  return Number(text.trim());
}

export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedCli {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinDashValues(argv),
      allowPositionals: true,
      allowNegative: true,
      strict: true,
      options: {
        group: { type: 'string' },
        port: { type: 'string' },
        iface: { type: 'string' },
        ttl: { type: 'string' },
        'ttl-max': { type: 'string' },
        nick: { type: 'string' },
        loopback: { type: 'boolean', default: true },
        json: { type: 'boolean', default: false },
        count: { type: 'string' },
        stats: { type: 'boolean', default: false },
        passive: { type: 'boolean', default: false },
        profile: { type: 'string' },
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
  if (command === undefined) throw new UsageError('missing command: listen, send, chat, probe or doctor (see --help)');
  if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`unknown command "${command}": use listen, send, chat, probe or doctor`);
  const cmd = command as Command;
  if (cmd === 'send' && rest.length === 0) throw new UsageError('send: the text to send is missing, e.g. mcchat send "hello"');
  if (cmd !== 'send' && rest.length > 0) throw new UsageError(`${cmd}: unexpected argument "${rest[0]}"`);
  if (values.raw && cmd !== 'send') throw new UsageError('--raw: only for send (in chat, type /raw <text>)');
  for (const only of ['count', 'stats', 'passive'] as const) {
    if (values[only] !== undefined && values[only] !== false && cmd !== 'listen') throw new UsageError(`--${only}: only for listen`);
  }
  if (values.json && cmd !== 'listen' && cmd !== 'probe' && cmd !== 'doctor') throw new UsageError('--json: only for listen, probe and doctor');
  if (values['ttl-max'] !== undefined && cmd !== 'probe') throw new UsageError('--ttl-max: only for probe');

  if (values.history !== undefined && cmd !== 'listen' && cmd !== 'chat') throw new UsageError('--history: only for listen and chat');
  if (values.history !== undefined && values.history.trim() === '') throw new UsageError('--history: the folder is missing');
  const count = integer(values.count, 'count');
  if (count !== undefined && count < 1) throw new UsageError('--count: must be at least 1');
  const ttlMax = integer(values['ttl-max'], 'ttl-max') ?? DEFAULT_TTL_MAX;
  // A probe at TTL 0 reaches nobody but ourselves; the IP header holds at most 255.
  if (ttlMax < 1 || ttlMax > 255) throw new UsageError('--ttl-max: must be between 1 and 255');
  const ifaceText = values.iface ?? fromEnv(env, 'MCCHAT_IFACE');
  const nickText = values.nick ?? fromEnv(env, 'MCCHAT_NICK');
  const profileText = values.profile ?? fromEnv(env, 'MCCHAT_PROFILE');
  const source = (option: 'iface' | 'nick' | 'profile'): string => (values[option] !== undefined ? `--${option}` : `MCCHAT_${option.toUpperCase()}`);

  return {
    kind: 'run',
    options: {
      command: cmd,
      group: validate(groupSchema, values.group ?? DEFAULT_GROUP, '--group'),
      port: validate(portSchema, integer(values.port, 'port') ?? DEFAULT_PORT, '--port'),
      iface: ifaceText === undefined ? undefined : validate(ifaceSchema, ifaceText, source('iface')),
      ifaceSource: ifaceText === undefined ? undefined : source('iface'),
      ttl: validate(ttlSchema, integer(values.ttl, 'ttl') ?? DEFAULT_TTL, '--ttl'),
      nick: nickText === undefined ? undefined : validate(nicknameSchema, nickText, source('nick')),
      profile: profileText === undefined ? null : validate(profileNameSchema, profileText, source('profile')),
      loopback: values.loopback,
      json: values.json,
      ttlMax,
      count,
      stats: values.stats,
      passive: values.passive,
      raw: values.raw,
      text: cmd === 'send' ? rest.join(' ') : undefined,
      history: values.history,
      passphrase: env['MCCHAT_PASSPHRASE'] || undefined,
    },
  };
}
