import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * mcchat keeps a key and a trust store per user in the config folder ($XDG_CONFIG_HOME). A test
 * that started it with the real one would share them with every other test and with earlier
 * runs: "bob" from one test would be an impostor in the next. Each mcchat a test starts gets a
 * folder of its own under one temporary root, removed when the test process ends.
 */
const ROOT = mkdtempSync(path.join(os.tmpdir(), 'mcchat-test-config-'));
process.once('exit', () => rmSync(ROOT, { recursive: true, force: true }));

let made = 0;

/** A new config folder: a new person. `name` only makes it readable in a listing. */
export function freshConfigHome(name = 'mcchat'): string {
  return path.join(ROOT, `${++made}-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`);
}

/** The same folder for the same name within this test process: one person across runs. */
export function configHomeFor(name: string): string {
  return path.join(ROOT, `named-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`);
}
