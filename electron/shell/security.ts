import type { App, Session, WebContents } from 'electron';
import { checkExternalUrl } from './commands.js';

/**
 * The built page needs nothing but its own files and data: images. Written once, as the
 * `responseHeaders` literal that electronegativity's CSP check reads (it cannot follow a variable),
 * so the scan in tests/security sees that the app sets a policy. Reviewed, CSP_GLOBAL_CHECK: the
 * check's one remark on this policy is that 'self' in script-src "can be problematic if you host
 * JSONP, Angular or user uploaded files"; app://mcchat serves nothing but the built page from
 * app.asar. tests/security evaluates this exact text with the same evaluator and fails on any other remark.
 */
const PRODUCTION_HEADERS = Object.freeze({
  responseHeaders: { // eng-disable CSP_GLOBAL_CHECK
    'Content-Security-Policy': ["default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"],
  },
});

export const PRODUCTION_CSP: string = PRODUCTION_HEADERS.responseHeaders['Content-Security-Policy'][0]!;

/**
 * The policy for the page. Vite's dev server needs more: React Fast Refresh injects an inline
 * module script, Vite injects <style> elements, and HMR talks over a WebSocket.
 */
export function contentSecurityPolicy(devServerUrl: string | null): string {
  if (devServerUrl === null) return PRODUCTION_CSP;
  const dev = new URL(devServerUrl);
  const ws = `${dev.protocol === 'https:' ? 'wss' : 'ws'}://${dev.host}`;
  return [
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self' ${ws}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * The session: every permission (camera, notifications, geolocation, …) refused, and the CSP
 * added to every HTTP response (the dev server; app:// responses carry it themselves).
 */
export function setupSessionSecurity(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'webRequest'>, csp: string): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: withPolicy(details.responseHeaders, csp) }));
}

/**
 * The response's headers with its own CSP, in any spelling, replaced by ours. The policy is a
 * variable here, which the CSP check cannot read: it evaluates the policy where it is written.
 */
function withPolicy(headers: Record<string, string[]> | undefined, csp: string): Record<string, string[]> {
  const kept = Object.fromEntries(Object.entries(headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy'));
  return { ...kept, 'Content-Security-Policy': [csp] };
}

/** Opens a link in the user's browser if it is a plain http(s) URL; anything else is dropped. */
export function openIfWebLink(url: string, openExternal: (url: string) => Promise<void>): void {
  let safe: string;
  try {
    safe = checkExternalUrl(url);
  } catch {
    return;
  }
  openExternal(safe).catch(() => undefined);
}

type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * Every web contents: no <webview>, no navigation away from the page, no new windows. A web
 * link the page tries to open goes to the browser through the same check as `openExternal`.
 */
export function hardenWebContents(contents: GuardedContents, openExternal: (url: string) => Promise<void>): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('will-navigate', (event) => {
    if (event.isSameDocument) return;
    event.preventDefault();
    openIfWebLink(event.url, openExternal);
  });
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame || event.isSameDocument) return;
    // Sub-frames have no business in this app.
    event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    openIfWebLink(url, openExternal);
    return { action: 'deny' };
  });
}

/** Hardens every web contents the app ever creates, including ones made by mistake later. */
export function setupWebContentsGuard(app: Pick<App, 'on'>, openExternal: (url: string) => Promise<void>): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, openExternal));
}
