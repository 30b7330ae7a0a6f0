export interface BenchArgs {
  readonly quick: boolean;
  readonly runs: number;
  readonly only: string[];
  readonly profile: boolean;
  readonly help: boolean;
}

export const USAGE = `npm run bench -- [options]
  --quick          tiny sizes, a few seconds in all (what tests/bench/quick.test.ts runs)
  --runs N         runs per figure; each figure is the median over its runs (default 5, quick 1)
  --only ID[,ID]   only these figures (repeatable); ids are listed in the table
  --profile        run receiving processes under --cpu-prof; summaries of the measured window are
                   printed and saved in bench-results/profiles/ (profiling inflates the CPU figures).
                   Any profile: npx tsx bench/profile/analyze.ts FILE, npx tsx bench/profile/stalls.ts FILE
  --help           this text`;

export function parseArgs(argv: readonly string[]): BenchArgs {
  let quick = false;
  let runs: number | null = null;
  let profile = false;
  let help = false;
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--quick':
        quick = true;
        break;
      case '--runs': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1 || n > 100) throw new Error('--runs takes a whole number from 1 to 100');
        runs = n;
        break;
      }
      case '--only':
        only.push(...value().split(',').map((s) => s.trim()).filter(Boolean));
        break;
      case '--profile':
        profile = true;
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  return { quick, runs: runs ?? (quick ? 1 : 5), only, profile, help };
}
