/** One line of `mcchat doctor`'s checks: what was looked at, and one sentence about it. */
export type CheckStatus = 'OK' | 'WARN' | 'INFO';

export interface Check {
  readonly status: CheckStatus;
  /** Short name of what was checked: "loopback self-test", "rp_filter", "firewall (nftables)". */
  readonly name: string;
  readonly text: string;
}

/** Runs a program by its absolute path (never a bare name looked up in the current folder) and returns its stdout. */
export type RunProgram = (program: string, args: readonly string[]) => Promise<string>;

/** Reads a text file; rejects like fs.readFile (ENOENT, EACCES). */
export type ReadText = (path: string) => Promise<string>;

/** The error's code (ENOENT, EACCES) or message: what a line of the doctor can say about a failure. */
export function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
