import { ifaceSchema } from '../../shared/room-config.js';

/** What the command line and environment say about this window. */
export interface AppArgs {
  /** IPv4 address every room uses (`--iface`, `MCCHAT_IFACE`); null lets the core choose. */
  readonly iface: string | null;
  /** A second identity on the same host (`--profile`, `MCCHAT_PROFILE`): own settings, own lock. */
  readonly profile: string | null;
}

/** A bad command-line value: shown as one sentence, never as a stack trace. */
export class AppArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AppArgsError';
  }
}

const PROFILE = /^[A-Za-z0-9_-]{1,32}$/;
const OPTIONS = ['iface', 'profile'] as const;
type OptionName = (typeof OPTIONS)[number];

export const APP_USAGE = `Options:
  --iface <IPv4>     use this interface for every room (or set MCCHAT_IFACE), e.g. --iface 192.168.1.20
  --profile <name>   a separate identity and settings folder (or set MCCHAT_PROFILE): letters, digits, _ and -, at most 32`;

/**
 * The user's arguments: what follows the executable (packaged) or the app folder (`electron .`).
 * Electron puts Chromium switches in argv too, so only our own options are looked at.
 */
export function userArgv(argv: readonly string[], isPackaged: boolean): string[] {
  return argv.slice(isPackaged ? 1 : 2);
}

function readOptions(argv: readonly string[]): Partial<Record<OptionName, string>> {
  const found: Partial<Record<OptionName, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') break;
    for (const name of OPTIONS) {
      const flag = `--${name}`;
      if (arg === flag) {
        const value = argv[i + 1];
        if (value === undefined || value.startsWith('--')) throw new AppArgsError(`${flag} needs a value.\n${APP_USAGE}`);
        found[name] = value;
        i++;
      } else if (arg.startsWith(`${flag}=`)) {
        found[name] = arg.slice(flag.length + 1);
      }
    }
  }
  return found;
}

/** Parses `--iface` and `--profile` (the command line wins over the environment); throws AppArgsError. */
export function parseAppArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): AppArgs {
  const options = readOptions(argv);
  const ifaceText = options.iface ?? nonEmpty(env.MCCHAT_IFACE);
  const ifaceSource = options.iface !== undefined ? '--iface' : 'MCCHAT_IFACE';
  const profileText = options.profile ?? nonEmpty(env.MCCHAT_PROFILE);
  const profileSource = options.profile !== undefined ? '--profile' : 'MCCHAT_PROFILE';

  let iface: string | null = null;
  if (ifaceText !== undefined) {
    const parsed = ifaceSchema.safeParse(ifaceText);
    if (!parsed.success) {
      throw new AppArgsError(`${ifaceSource} "${ifaceText}": ${parsed.error.issues[0]?.message ?? 'not an IPv4 address.'}`);
    }
    iface = parsed.data;
  }

  let profile: string | null = null;
  if (profileText !== undefined) {
    if (!PROFILE.test(profileText)) {
      throw new AppArgsError(`${profileSource} "${profileText}": a profile name has 1 to 32 letters, digits, "_" or "-".`);
    }
    profile = profileText;
  }
  return { iface, profile };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** The user data folder of a profile: next to the default one, so each profile has its own lock and settings. */
export function profileUserDataPath(defaultPath: string, profile: string | null): string {
  return profile === null ? defaultPath : `${defaultPath}-${profile}`;
}
