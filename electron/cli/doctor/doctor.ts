import { accessSync, constants } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { OsMemberships } from '../../../shared/group-view.js';
import { systemInterfaces, type NetInterface } from '../../core/interfaces.js';
import { readSystemMemberships } from '../../core/os-memberships/system.js';
import { planInterfaces, type InterfaceVerdict } from './interfaces.js';
import { firewallChecks, rpFilterCheck } from './linux.js';
import { macChecks } from './macos.js';
import { loopbackSelfTest } from './self-test.js';
import { runProgram } from './run-program.js';
import type { Check, ReadText, RunProgram } from './types.js';
import { powershellPath, windowsChecks } from './windows.js';

/** What `mcchat doctor` found: printed as text or as one JSON object. */
export interface DoctorReport {
  readonly platform: NodeJS.Platform;
  readonly group: string;
  readonly port: number;
  readonly pinned: string | null;
  readonly interfaces: readonly InterfaceVerdict[];
  readonly memberships: OsMemberships;
  readonly checks: readonly Check[];
}

/** The outside world, passed in so the tests can give another machine's answers. */
export interface DoctorDeps {
  readonly platform: NodeJS.Platform;
  readonly interfaces: () => NetInterface[];
  readonly memberships: () => Promise<OsMemberships>;
  readonly selfTest: (group: string) => Promise<Check>;
  readonly readText: ReadText;
  readonly run: RunProgram;
  /** Absolute path of an installed program among these, or null. */
  readonly findProgram: (candidates: readonly string[]) => string | null;
}

const NFT_PATHS = ['/usr/sbin/nft', '/sbin/nft', '/usr/bin/nft', '/bin/nft'];

async function platformChecks(deps: DoctorDeps, used: readonly InterfaceVerdict[], port: number): Promise<Check[]> {
  switch (deps.platform) {
    case 'linux': {
      const lan = used.filter((i) => !i.address.startsWith('127.')).map((i) => i.name);
      return [await rpFilterCheck(lan, deps.readText), ...(await firewallChecks(deps.findProgram(NFT_PATHS), deps.run, deps.readText, port))];
    }
    case 'win32': {
      return windowsChecks(powershellPath(), deps.run);
    }
    case 'darwin':
      return macChecks(deps.run);
    default:
      return [{ status: 'INFO', name: 'platform', text: `No checks for ${deps.platform}'s usual blockers.` }];
  }
}

export async function runDoctor(deps: DoctorDeps, room: { group: string; port: number; iface: string | undefined }): Promise<DoctorReport> {
  const { verdicts, problem } = planInterfaces(deps.interfaces(), room.iface);
  // Read before the self-test joins the group, so what it shows is what other programs hold.
  const memberships = await deps.memberships();
  const selfTest = await deps.selfTest(room.group);
  const used = verdicts.filter((v) => v.use);
  const checks = [...(problem ? [problem] : []), selfTest, ...(await platformChecks(deps, used, room.port))];
  return { platform: deps.platform, group: room.group, port: room.port, pinned: room.iface ?? null, interfaces: verdicts, memberships, checks };
}

export function systemDoctorDeps(): DoctorDeps {
  return {
    platform: process.platform,
    interfaces: systemInterfaces,
    memberships: readSystemMemberships,
    selfTest: (group) => loopbackSelfTest(group, process.platform),
    readText: (file) => readFile(file, 'utf8'),
    run: runProgram,
    findProgram: (candidates) =>
      candidates.find((candidate) => {
        try {
          accessSync(candidate, constants.X_OK);
          return true;
        } catch {
          return false;
        }
      }) ?? null,
  };
}
