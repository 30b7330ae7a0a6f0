import { execFile } from 'node:child_process';
import type { RunProgram } from './types.js';

const RUN_TIMEOUT_MS = 5_000;

/** Runs a system tool (PowerShell, nft) and resolves with what it printed; never a shell. */
export const runProgram: RunProgram = (program, args) =>
  new Promise((resolve, reject) => {
    execFile(program, [...args], { timeout: RUN_TIMEOUT_MS, maxBuffer: 4 * 1024 * 1024, windowsHide: true, encoding: 'utf8' }, (error, stdout, stderr) => {
      // The program's own complaint ("Operation not permitted") says more than "Command failed".
      if (error) reject(new Error(stderr.trim().split('\n')[0] || error.message));
      else resolve(stdout);
    });
  });
