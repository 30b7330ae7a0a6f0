import type { OsMemberships } from '../../../shared/group-view.js';
import { parseProcNetIgmp, PROC_NET_IGMP, type Endianness } from './linux-igmp.js';
import { NETSTAT_SOURCE, parseNetstatGroups } from './macos-netstat.js';
import { unavailable } from './parse-common.js';
import { NETSH_SOURCE, parseNetshJoins } from './windows-netsh.js';

export type { Endianness };

/** The two programs this module may ask; the runner maps each to its fixed path. */
export type MembershipCommand = 'netstat' | 'netsh';

/** The outside world, passed in: tests give fixture text, the app the real file and programs. */
export interface OsMembershipDeps {
  readonly platform: NodeJS.Platform;
  readonly endianness: Endianness;
  readonly readFile: (path: string) => Promise<string>;
  readonly run: (command: MembershipCommand, args: readonly string[]) => Promise<string>;
}

function why(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}

/**
 * The IPv4 group memberships the operating system holds, per interface: what IGMP reports to the
 * routers, whichever program asked for them. Never throws: where the OS cannot be read, or says
 * something unexpected, the answer is "not available" with the reason.
 */
export async function readOsMemberships(deps: OsMembershipDeps): Promise<OsMemberships> {
  let source = '';
  try {
    switch (deps.platform) {
      case 'linux':
        source = PROC_NET_IGMP;
        return parseProcNetIgmp(await deps.readFile(PROC_NET_IGMP), deps.endianness);
      case 'darwin':
        source = NETSTAT_SOURCE;
        return parseNetstatGroups(await deps.run('netstat', ['-g', '-n']));
      case 'win32':
        source = NETSH_SOURCE;
        return parseNetshJoins(await deps.run('netsh', ['interface', 'ipv4', 'show', 'joins']));
      default:
        return unavailable(`reading the memberships of ${deps.platform} is not supported`);
    }
  } catch (error) {
    return unavailable(`${source} could not be read (${why(error)})`);
  }
}
