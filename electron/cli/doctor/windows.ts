import path from 'node:path';
import type { Check, RunProgram } from './types.js';
import { reasonOf } from './types.js';

/** Prints "alias|category" per connected network: plain text whatever the system's language. */
export const PROFILE_SCRIPT = "Get-NetConnectionProfile | ForEach-Object { $_.InterfaceAlias + '|' + $_.NetworkCategory }";

/**
 * Windows Firewall's default rules let a program receive on Private and Domain networks once the
 * user allowed it, but not on Public ones: the most common reason a Windows peer hears nothing.
 */
export function windowsProfileVerdict(output: string): Check {
  const name = 'network profile';
  const profiles = output
    .split(/\r?\n/)
    .map((line) => line.trim().split('|'))
    .filter((parts): parts is [string, string] => parts.length === 2 && parts[0] !== '' && parts[1] !== '');
  if (profiles.length === 0) return { status: 'INFO', name, text: 'Windows lists no connected network: not checked.' };
  const listed = profiles.map(([alias, category]) => `${alias} ${category}`).join(', ');
  const publicOnes = profiles.filter(([, category]) => category === 'Public').map(([alias]) => alias);
  if (publicOnes.length > 0) {
    return { status: 'WARN', name, text: `${publicOnes.join(', ')} is a Public network: Windows Firewall blocks incoming multicast there for programs not allowed on Public networks; make it Private (Settings → Network & internet → Properties).` };
  }
  return { status: 'OK', name, text: `No Public network (${listed}): Windows Firewall lets allowed programs receive.` };
}

export async function windowsChecks(powershell: string, run: RunProgram): Promise<Check[]> {
  try {
    return [windowsProfileVerdict(await run(powershell, ['-NoProfile', '-NonInteractive', '-Command', PROFILE_SCRIPT]))];
  } catch (error) {
    return [{ status: 'INFO', name: 'network profile', text: `Could not ask Windows for the network profile (${reasonOf(error)}): if it is Public, Windows Firewall may block the room.` }];
  }
}

/** Windows PowerShell where Windows keeps it (not whatever `powershell` the PATH finds first). */
export function powershellPath(): string {
  return path.win32.join(process.env.SystemRoot ?? 'C:\\Windows', 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe');
}
