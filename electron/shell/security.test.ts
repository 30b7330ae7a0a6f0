import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

// Nothing here may reach the real Electron: a stray runtime import would fail loudly.
vi.mock('electron', () => {
  throw new Error('security.ts must not import electron at runtime');
});

const { contentSecurityPolicy, hardenWebContents, PRODUCTION_CSP, setupSessionSecurity, setupWebContentsGuard } = await import('./security.js');

type HeadersCallback = (response: { responseHeaders?: Record<string, string[]> }) => void;

function fakeSession() {
  let onHeaders: ((details: { responseHeaders?: Record<string, string[]> }, callback: HeadersCallback) => void) | null = null;
  let requestHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
  let checkHandler: ((...args: unknown[]) => boolean) | null = null;
  const session = {
    setPermissionRequestHandler: vi.fn((handler) => (requestHandler = handler)),
    setPermissionCheckHandler: vi.fn((handler) => (checkHandler = handler)),
    webRequest: { onHeadersReceived: vi.fn((handler) => (onHeaders = handler)) },
  };
  return {
    session,
    headers(responseHeaders: Record<string, string[]>) {
      let result: Record<string, string[]> | undefined;
      onHeaders!({ responseHeaders }, (response) => (result = response.responseHeaders));
      return result!;
    },
    request(permission: string): boolean {
      let granted: boolean | undefined;
      requestHandler!({}, permission, (g) => (granted = g));
      return granted!;
    },
    check(permission: string): boolean {
      return checkHandler!({}, permission, 'app://mcchat', {});
    },
  };
}

class FakeContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler;
  }
}

function navigationEvent(url: string, extra: Record<string, unknown> = {}) {
  return { url, isSameDocument: false, isMainFrame: true, preventDefault: vi.fn(), ...extra };
}

describe('content security policy', () => {
  it('is strict in production', () => {
    expect(PRODUCTION_CSP).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    );
    expect(contentSecurityPolicy(null)).toBe(PRODUCTION_CSP);
    expect(PRODUCTION_CSP).not.toContain('unsafe');
  });

  it('allows only what Vite needs in development: inline preamble, injected styles, the HMR socket', () => {
    const dev = contentSecurityPolicy('http://localhost:5173/');
    expect(dev).toContain("script-src 'self' 'unsafe-inline'");
    expect(dev).toContain("connect-src 'self' ws://localhost:5173");
    expect(dev).toContain("object-src 'none'");
    expect(dev).not.toContain('unsafe-eval');
  });

  it('is added to every response, replacing any policy the server sent', () => {
    const s = fakeSession();
    setupSessionSecurity(s.session as never, PRODUCTION_CSP);
    const headers = s.headers({ 'content-type': ['text/html'], 'content-security-policy': ["default-src *"] });
    expect(headers['Content-Security-Policy']).toEqual([PRODUCTION_CSP]);
    expect(headers['content-security-policy']).toBeUndefined();
    expect(headers['content-type']).toEqual(['text/html']);
  });
});

describe('permissions', () => {
  it('refuses every permission request and check', () => {
    const s = fakeSession();
    setupSessionSecurity(s.session as never, PRODUCTION_CSP);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      expect(s.request(permission), permission).toBe(false);
      expect(s.check(permission), permission).toBe(false);
    }
  });
});

describe('web contents guard', () => {
  it('prevents navigation away from the page and sends web links to the browser', () => {
    const contents = new FakeContents();
    const opened: string[] = [];
    hardenWebContents(contents as never, async (url) => {
      opened.push(url);
    });
    const web = navigationEvent('https://example.com/');
    contents.emit('will-navigate', web);
    expect(web.preventDefault).toHaveBeenCalled();
    const file = navigationEvent('file:///etc/passwd');
    contents.emit('will-navigate', file);
    expect(file.preventDefault).toHaveBeenCalled();
    expect(opened).toEqual(['https://example.com/']);
  });

  it('lets a same-document navigation through', () => {
    const contents = new FakeContents();
    hardenWebContents(contents as never, async () => undefined);
    const hash = navigationEvent('app://mcchat/index.html#room', { isSameDocument: true });
    contents.emit('will-navigate', hash);
    expect(hash.preventDefault).not.toHaveBeenCalled();
  });

  it('denies every new window; only http(s) links are handed to the browser', () => {
    const contents = new FakeContents();
    const opened: string[] = [];
    hardenWebContents(contents as never, async (url) => {
      opened.push(url);
    });
    expect(contents.openHandler!({ url: 'https://example.com/a' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'app://mcchat/index.html' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.com/a']);
  });

  it('refuses <webview> and sub-frame navigations', () => {
    const contents = new FakeContents();
    hardenWebContents(contents as never, async () => undefined);
    const attach = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', attach, {}, {});
    expect(attach.preventDefault).toHaveBeenCalled();
    const sub = navigationEvent('https://example.com/', { isMainFrame: false });
    contents.emit('will-frame-navigate', sub);
    expect(sub.preventDefault).toHaveBeenCalled();
  });

  it('hardens every web contents the app creates', () => {
    const app = new EventEmitter();
    setupWebContentsGuard(app as never, async () => undefined);
    const contents = new FakeContents();
    app.emit('web-contents-created', {}, contents);
    expect(contents.listenerCount('will-navigate')).toBe(1);
    expect(contents.listenerCount('will-attach-webview')).toBe(1);
    expect(contents.openHandler).not.toBeNull();
  });
});
