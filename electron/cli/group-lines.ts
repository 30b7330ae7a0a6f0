import type { GroupView } from '../../shared/group-view.js';
import { terminalSafe } from './terminal-text.js';

/** `/group` in mcchat chat: the room's group on Ethernet and in the OS, as the window's panel shows it. */
export function groupViewLines(view: GroupView): string[] {
  const examples = view.examples.length > 0 ? ` (${view.examples.join(', ')}, …)` : '';
  const lines = [
    `group ${view.group}: Ethernet ${view.mac} (01:00:5e + its low 23 bits), shared with ${view.sharedWith} other groups${examples}`,
    view.linkLocal ? 'link-local (224.0.0.x): routers never forward it, whatever the TTL' : 'not link-local: routers may forward it, as far as the TTL allows',
  ];
  const os = view.os;
  // Interface names and reasons come from the OS's own output: escaped like anything else printed.
  if (!os.available) lines.push(`the OS holds it on: not available: ${terminalSafe(os.reason)}`);
  else {
    const holders = os.holders.length > 0 ? os.holders.map(terminalSafe).join(', ') : 'no interface';
    const missing = os.missing.length > 0 ? `; not on ${os.missing.map(terminalSafe).join(', ')}, where this room joined` : '';
    lines.push(`the OS holds it on: ${holders}${missing} (from ${terminalSafe(os.source)})`);
  }
  return lines;
}
