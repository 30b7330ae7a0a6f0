import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WORKERS_DIR = path.join(REPO_ROOT, 'bench', 'workers');
/** Git-ignored (see .gitignore). */
export const RESULTS_DIR = path.join(REPO_ROOT, 'bench-results');
