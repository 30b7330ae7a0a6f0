// What Vite puts on import.meta.env that this code reads (tsconfig.web.json loads no vite types).
interface ImportMetaEnv {
  /** "1" only in the browser demo build: use the in-memory fake when there is no preload API. */
  readonly VITE_MCCHAT_DEMO?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
