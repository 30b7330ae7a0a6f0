import { describeMachine, type MachineInfo } from './machine.js';
import type { FigureResult } from './types.js';

/** Enough digits to compare, no float noise: 61,436 / 412.3 / 2.57 / 0.0163. */
export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  if (abs === 0) return '0';
  return value.toPrecision(3);
}

function formatValue(r: FigureResult): string {
  return r.value === null ? '-' : `${formatNumber(r.value)} ${r.unit}`;
}

/** How far from the target: the share of the limit used (<=) or of the goal reached (>=). */
export function margin(r: FigureResult): string {
  if (r.value === null || r.target.threshold === 0) return '';
  const share = (100 * r.value) / r.target.threshold;
  return r.target.op === '<=' ? `${formatNumber(share)}% of limit` : `${formatNumber(share)}% of goal`;
}

function pad(cells: readonly string[], widths: readonly number[]): string {
  return `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
}

export function renderTable(results: readonly FigureResult[], header: { title: string; machine: MachineInfo }): string {
  const head = ['figure', 'id', 'value', 'target', 'status', 'vs target', 'per run'];
  const rows = results.map((r) => [r.title, r.id, formatValue(r), r.target.text, r.status, margin(r), r.runs.map(formatNumber).join(' ')]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const lines = [
    header.title,
    `machine: ${describeMachine(header.machine)}`,
    '',
    pad(head, widths),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map((row) => pad(row, widths)),
    '',
    'details (medians over runs):',
  ];
  for (const r of results) {
    lines.push(`  ${r.id}: ${r.note}`);
    const entries = Object.entries(r.details);
    if (entries.length > 0) lines.push(`    ${entries.map(([k, v]) => `${k} ${typeof v === 'number' ? formatNumber(v) : v}`).join('; ')}`);
  }
  return lines.join('\n');
}
