import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIGURES } from '../../bench/figures/registry.js';
import type { BenchReport } from '../../bench/lib/report.js';
import { chromiumStatus } from '../e2e/harness/browser.js';

// `npm run bench -- --quick` end to end, so the benchmark never rots. Loopback traffic only
// (bench/lib/endpoints.ts); the child is killed by its own handle if it overruns.
const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(REPO_ROOT, 'node_modules/.bin/tsx');
const TIMEOUT_MS = 120_000;

function runQuickBench(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(TSX, ['bench/run.ts', '--quick'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run bench -- --quick', () => {
  it('exits 0, prints the table and writes JSON with every figure', { timeout: TIMEOUT_MS + 10_000 }, async () => {
    const { code, stdout, stderr } = await runQuickBench();
    expect(code, stderr.slice(-3000)).toBe(0);

    expect(stdout).toMatch(/^machine: \d+ cores .*Node v\d+/m);
    expect(stdout).toMatch(/^\| figure +\| id +\| value +\| target +\| status/m);
    for (const figure of FIGURES) expect(stdout).toContain(`| ${figure.id} `);

    const jsonPath = /^JSON: (.+\.json)$/m.exec(stdout)?.[1];
    expect(jsonPath).toBeDefined();
    const file = path.resolve(REPO_ROOT, jsonPath ?? '');
    expect(path.relative(path.join(REPO_ROOT, 'bench-results'), file).startsWith('..')).toBe(false);
    const report = JSON.parse(await readFile(file, 'utf8')) as BenchReport;
    await rm(file, { force: true });

    expect(report.mode).toBe('quick');
    expect(report.machine.cores).toBeGreaterThan(0);
    expect(report.machine.node).toBe(process.version);
    const ids = report.figures.map((f) => f.id);
    for (const figure of FIGURES) expect(ids).toContain(figure.id);

    for (const f of report.figures) {
      expect(typeof f.target.threshold, f.id).toBe('number');
      if (f.status === 'not measured yet') {
        expect(f.value, f.id).toBeNull();
        continue;
      }
      expect(['met', 'missed'], `${f.id}: ${f.note}`).toContain(f.status);
      expect(Number.isFinite(f.value), f.id).toBe(true);
      expect(f.runs.length, f.id).toBeGreaterThan(0);
      for (const run of f.runs) expect(Number.isFinite(run), f.id).toBe(true);
      for (const [key, value] of Object.entries(f.details)) {
        expect(typeof value === 'string' || Number.isFinite(value), `${f.id} ${key}`).toBe(true);
      }
    }
    const measuredIds = report.figures.filter((f) => f.status !== 'not measured yet').map((f) => f.id);
    const rendererIds = FIGURES.filter((f) => f.side === 'renderer').map((f) => f.id);
    expect(measuredIds.filter((id) => !rendererIds.includes(id)).sort()).toEqual([
      'chat-datagram',
      'coalescing',
      'latency',
      'loop-delay-flood',
      'loop-delay-history',
      'memory-core',
      'presence-traffic',
      'receive-floor-passphrase',
      'receive-floor-plain',
      'start-core',
    ]);
    // Issue 14's rows carry the parts they are made of.
    const figure = (id: string) => report.figures.find((f) => f.id === id);
    for (const id of ['receive-floor-plain', 'receive-floor-passphrase']) {
      const d = figure(id)?.details ?? {};
      expect(d['bare Ed25519 verify CPU us'], id).toBeGreaterThan(0);
      expect(d['core CPU us/datagram'], id).toBeGreaterThan(0);
    }
    expect(figure('receive-floor-passphrase')?.details['bare AES-256-GCM open CPU us']).toBeGreaterThan(0);
    expect(figure('chat-datagram')?.details['header is JSON']).toMatch(/^(yes|no)$/);
    expect(figure('presence-traffic')?.details['peers the core saw']).toBe(299);
    expect(figure('loop-delay-history')?.details['history messages']).toBe(500);
    expect(figure('smooth-under-load')?.unit).toBe('%');
    expect(figure('to-screen')?.target.threshold).toBe(25);
    // Renderer figures need Chromium: measured when it is there, "skipped: no chromium" when not
    // (and with MCCHAT_REQUIRE_CHROMIUM=1 a missing Chromium is an error, so the exit code above fails).
    const available = chromiumStatus().kind === 'available';
    for (const id of rendererIds) {
      const figure = report.figures.find((f) => f.id === id);
      if (available) expect(['met', 'missed'], `${id}: ${figure?.note}`).toContain(figure?.status);
      else expect(figure?.note, id).toMatch(/^skipped: no chromium/);
    }
  });
});
