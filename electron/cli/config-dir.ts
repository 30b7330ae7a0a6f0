/**
 * Where mcchat keeps what must outlive a run (its key, the peers it has seen, its nickname):
 * the per-user config folder each OS expects. A folder of its own, not the app's: the app may
 * have sealed its key with the OS keychain, which a command-line program cannot open.
 */
import path from 'node:path';

export interface ConfigPlace {
  readonly platform: NodeJS.Platform;
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
}

/** $XDG_CONFIG_HOME or ~/.config (Linux and the rest), %APPDATA% (Windows), ~/Library/Application Support (macOS). */
export function userConfigRoot({ platform, env, home }: ConfigPlace): string {
  if (platform === 'win32') return env['APPDATA'] || path.join(home, 'AppData', 'Roaming');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support');
  // The XDG spec: a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env['XDG_CONFIG_HOME'];
  return xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.config');
}

/** `mcchat`, or `mcchat-<profile>` next to it (as the app names its profile folders). */
export function profileDir(root: string, profile: string | null): string {
  return path.join(root, profile === null ? 'mcchat' : `mcchat-${profile}`);
}
