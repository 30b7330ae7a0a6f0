import type { Check, RunProgram } from './types.js';
import { reasonOf } from './types.js';

export const SOCKETFILTERFW = '/usr/libexec/ApplicationFirewall/socketfilterfw';

/**
 * macOS 15 asks once per program whether it may use the local network; a program denied sends
 * and receives nothing beyond this computer, with no error. No public API tells a command-line
 * program its answer, so this can only say where to look.
 */
export const LOCAL_NETWORK_CHECK: Check = {
  status: 'INFO',
  name: 'Local Network permission',
  text: 'Not readable by a program: if the self-test passes but other computers are not heard, allow your terminal (or the app) in System Settings → Privacy & Security → Local Network.',
};

/** `socketfilterfw --getglobalstate`: "Firewall is enabled. (State = 1)"; 2 blocks all incoming. */
export function macFirewallVerdict(output: string): Check {
  const name = 'application firewall';
  const state = /State\s*=\s*(\d)/.exec(output)?.[1];
  if (state === '0' || /disabled/i.test(output)) return { status: 'OK', name, text: 'Off: it does not filter the room.' };
  if (state === '2') return { status: 'WARN', name, text: 'On and blocking all incoming connections: nothing from other computers reaches the room.' };
  if (state === '1' || /enabled/i.test(output)) return { status: 'INFO', name, text: 'On: allow incoming connections for node (or the app) when macOS asks; may be fine.' };
  return { status: 'INFO', name, text: 'Its state could not be read from socketfilterfw: not checked.' };
}

export async function macChecks(run: RunProgram): Promise<Check[]> {
  let firewall: Check;
  try {
    firewall = macFirewallVerdict(await run(SOCKETFILTERFW, ['--getglobalstate']));
  } catch (error) {
    firewall = { status: 'INFO', name: 'application firewall', text: `Could not ask socketfilterfw (${reasonOf(error)}): not checked.` };
  }
  return [LOCAL_NETWORK_CHECK, firewall];
}
