import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { OsMemberships } from '../../../shared/group-view.js';
import { MAX_OS_TEXT } from './parse-common.js';
import { readOsMemberships, type MembershipCommand, type OsMembershipDeps } from './index.js';

/**
 * Full paths: on Windows a bare name is looked up in the current folder before PATH, and a
 * netsh.exe placed there must not run. (netsh prints in the OEM code page: an interface name
 * outside ASCII may not match Node's spelling of it.)
 */
function programPath(command: MembershipCommand): string {
  if (command === 'netstat') return '/usr/sbin/netstat';
  return path.win32.join(process.env.SystemRoot ?? 'C:\\Windows', 'System32', 'netsh.exe');
}

const RUN_TIMEOUT_MS = 5_000;

export function systemMembershipDeps(): OsMembershipDeps {
  return {
    platform: process.platform,
    endianness: os.endianness(),
    readFile: (file) => readFile(file, 'utf8'),
    run: (command, args) =>
      new Promise((resolve, reject) => {
        execFile(programPath(command), [...args], { timeout: RUN_TIMEOUT_MS, maxBuffer: MAX_OS_TEXT, windowsHide: true, encoding: 'utf8' }, (error, stdout) => {
          if (error) reject(error);
          else resolve(stdout);
        });
      }),
  };
}

/** What this machine's OS holds now. */
export function readSystemMemberships(): Promise<OsMemberships> {
  return readOsMemberships(systemMembershipDeps());
}
