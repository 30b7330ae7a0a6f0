import { readFile as nodeReadFile } from 'node:fs/promises';
import path from 'node:path';
import type { Protocol } from 'electron';

/**
 * The packaged page is served from app://mcchat/ instead of file://: a real origin for the
 * CSP's 'self', module scripts that load, and no access to the rest of the disk.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'mcchat';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** Before `ready`: app:// behaves like https (standard URLs, secure context, fetch). No CORS bypass. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function mimeTypeOf(file: string): string {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export interface AppRequestHandlerOptions {
  /** The built renderer folder (dist/renderer, inside app.asar when packaged). */
  readonly rootDir: string;
  /** The Content-Security-Policy sent with every response. */
  readonly csp: string;
  /** fs.promises.readFile; Electron's fs reads inside app.asar. */
  readonly readFile?: (file: string) => Promise<Uint8Array>;
}

/**
 * The file under rootDir that a URL path names, or null for anything that would leave rootDir
 * (`..`, encoded slashes or backslashes, NUL, absolute paths).
 */
export function resolveAppPath(rootDir: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = path.posix.normalize(decoded.endsWith('/') ? `${decoded}index.html` : decoded).replace(/^\/+/, '');
  if (relative === '' || relative === '.' || relative.startsWith('..')) return null;
  const root = path.resolve(rootDir);
  const target = path.resolve(root, ...relative.split('/'));
  const fromRoot = path.relative(root, target);
  if (fromRoot === '' || fromRoot.startsWith('..') || path.isAbsolute(fromRoot)) return null;
  return target;
}

function textResponse(status: number, text: string, csp: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': csp } });
}

/** Answers app://mcchat/<path> from rootDir; everything else is 403/404/405. */
export function createAppRequestHandler(options: AppRequestHandlerOptions): (request: Request) => Promise<Response> {
  const readFile = options.readFile ?? nodeReadFile;
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return textResponse(400, 'Bad request', options.csp);
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return textResponse(404, 'Not found', options.csp);
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Method not allowed', options.csp);
    const file = resolveAppPath(options.rootDir, url.pathname);
    if (file === null) return textResponse(403, 'Forbidden', options.csp);
    let body: Uint8Array;
    try {
      body = await readFile(file);
    } catch {
      return textResponse(404, 'Not found', options.csp);
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: {
        'Content-Type': mimeTypeOf(file),
        'Content-Security-Policy': options.csp,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      },
    });
  };
}

/** After `ready`: serves the built page on the default session's app:// scheme. */
export function setupAppProtocol(protocol: Pick<Protocol, 'handle'>, options: AppRequestHandlerOptions): void {
  protocol.handle(APP_SCHEME, createAppRequestHandler(options));
}

/** Which page URLs are the app's own: the dev server in development, app://mcchat/ when built. */
export function makeIsAppUrl(devServerUrl: string | null): (url: string) => boolean {
  const devOrigin = devServerUrl ? new URL(devServerUrl).origin : null;
  return (text) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return false;
    }
    if (devOrigin !== null) return url.origin === devOrigin;
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  };
}
