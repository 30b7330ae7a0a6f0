import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APP_INDEX_URL, createAppRequestHandler, makeIsAppUrl, mimeTypeOf, registerAppScheme, resolveAppPath, setupAppProtocol } from './app-protocol.js';
import { PRODUCTION_CSP } from './security.js';

let base: string;
let root: string;

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'mcchat-protocol-'));
  root = path.join(base, 'renderer');
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>t</title>');
  await writeFile(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  await writeFile(path.join(base, 'secret.txt'), 'secret');
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const handler = () => createAppRequestHandler({ rootDir: root, csp: PRODUCTION_CSP });

describe('app:// protocol', () => {
  it('registers app as a standard, secure scheme before ready', () => {
    const registerSchemesAsPrivileged = vi.fn();
    registerAppScheme({ registerSchemesAsPrivileged });
    expect(registerSchemesAsPrivileged).toHaveBeenCalledWith([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('serves the page and its scripts with the right type and the CSP header', async () => {
    const page = await handler()(new Request(APP_INDEX_URL));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(PRODUCTION_CSP);
    expect(await page.text()).toContain('<title>t</title>');
    const script = await handler()(new Request('app://mcchat/assets/index-abc.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
    expect((await handler()(new Request('app://mcchat/'))).status).toBe(200);
  });

  it('refuses paths that leave the folder, in any spelling', async () => {
    for (const url of [
      'app://mcchat/%2e%2e/secret.txt',
      'app://mcchat/..%2fsecret.txt',
      'app://mcchat/assets/..%2f..%2fsecret.txt',
      'app://mcchat/..%5csecret.txt',
      'app://mcchat/%00index.html',
      'app://mcchat/%E0%A4%A',
    ]) {
      const response = await handler()(new Request(url));
      expect(response.status, url).toBeGreaterThanOrEqual(400);
      expect(await response.text(), url).not.toContain('secret');
    }
    // A leading ".." is clamped at the root, like a web server does: it can only name files inside.
    expect(resolveAppPath(root, '/../secret.txt')).toBe(path.join(root, 'secret.txt'));
    expect(resolveAppPath(root, 'a/../../secret.txt')).toBeNull();
    expect(resolveAppPath(root, '/assets/../index.html')).toBe(path.join(root, 'index.html'));
  });

  it('answers 404 for a missing file or another host, 405 for writes', async () => {
    expect((await handler()(new Request('app://mcchat/nope.js'))).status).toBe(404);
    expect((await handler()(new Request('app://other/index.html'))).status).toBe(404);
    expect((await handler()(new Request(APP_INDEX_URL, { method: 'POST', body: 'x' }))).status).toBe(405);
  });

  it('setupAppProtocol installs the handler on the app scheme', async () => {
    const handle = vi.fn();
    setupAppProtocol({ handle }, { rootDir: root, csp: PRODUCTION_CSP });
    expect(handle).toHaveBeenCalledWith('app', expect.any(Function));
    const response = await (handle.mock.calls[0]![1] as (r: Request) => Promise<Response>)(new Request(APP_INDEX_URL));
    expect(response.status).toBe(200);
  });

  it('knows the app page URLs, for production and the dev server', () => {
    const prod = makeIsAppUrl(null);
    expect(prod('app://mcchat/index.html')).toBe(true);
    expect(prod('app://evil/index.html')).toBe(false);
    expect(prod('http://localhost:5173/')).toBe(false);
    expect(prod('file:///index.html')).toBe(false);
    expect(prod('garbage')).toBe(false);
    const dev = makeIsAppUrl('http://localhost:5173/');
    expect(dev('http://localhost:5173/index.html')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(dev('app://mcchat/index.html')).toBe(false);
  });

  it('maps file types', async () => {
    expect(mimeTypeOf('a.css')).toBe('text/css; charset=utf-8');
    expect(mimeTypeOf('a.SVG')).toBe('image/svg+xml');
    expect(mimeTypeOf('a.bin')).toBe('application/octet-stream');
    expect(await readFile(path.join(base, 'secret.txt'), 'utf8')).toBe('secret');
  });
});
