import { terminalSafe, terminalSafeJson } from '../terminal-text.js';
import type { DoctorReport } from './doctor.js';

/** `mcchat doctor --json`: the whole report as one line. Interface names come from the OS: escaped. */
export function doctorJson(report: DoctorReport): string {
  return terminalSafeJson(JSON.stringify({ kind: 'doctor', ...report }));
}

/** The readable report: interfaces, the OS's memberships, then one line per check. */
export function doctorLines(report: DoctorReport, version: string): string[] {
  const where = report.pinned === null ? 'without --iface joins those marked "use"' : `with --iface ${report.pinned} joins only that one`;
  const lines = [`mcchat doctor ${version} on ${report.platform}`, `Interfaces (a room on ${report.group}:${report.port} ${where}):`];
  if (report.interfaces.length === 0) lines.push('  none: this machine lists no IPv4 interface');
  for (const i of report.interfaces) lines.push(`  ${i.use ? 'use ' : 'skip'}  ${terminalSafe(i.name)} ${i.address}: ${i.reason}`);
  const os = report.memberships;
  if (!os.available) lines.push(`OS memberships: not available: ${terminalSafe(os.reason)}`);
  else {
    lines.push(`OS memberships (from ${terminalSafe(os.source)}):`);
    for (const i of os.interfaces) lines.push(`  ${terminalSafe(i.name)}: ${i.groups.join(', ') || 'none'}`);
    const holders = os.interfaces.filter((i) => i.groups.includes(report.group)).map((i) => terminalSafe(i.name));
    lines.push(`  ${report.group} is held on ${holders.length > 0 ? `${holders.join(', ')}: a program on this host is in the room now` : 'no interface: nobody on this host is in the room now'}`);
  }
  lines.push('Checks:');
  for (const check of report.checks) lines.push(`  ${check.status.padEnd(4)}  ${check.name}: ${terminalSafe(check.text)}`);
  return lines;
}
