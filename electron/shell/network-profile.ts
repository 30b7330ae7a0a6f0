import type { AppNotice } from '../../shared/ipc/contract.js';
import type { RunProgram } from '../cli/doctor/types.js';
import { windowsChecks } from '../cli/doctor/windows.js';

/**
 * On Windows, a network filed as "Public" is the most common reason a peer hears nothing: the
 * firewall rule our installer adds covers Private and Domain networks only (as Windows' own
 * default rules do). `mcchat doctor` says so; the window says it too, once, at start.
 */
export async function publicNetworkNotice(platform: NodeJS.Platform, powershell: string, run: RunProgram): Promise<AppNotice | null> {
  if (platform !== 'win32') return null;
  const [check] = await windowsChecks(powershell, run);
  // Only a Public network is worth a line in the window; "could not ask" stays in mcchat doctor.
  return check?.status === 'WARN' ? { level: 'warning', message: check.text } : null;
}
