import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Serving the built renderer: shared by the browser-studio HTTP server and the Electron `app://`
 * protocol handler, so both apply the same path rules, content types and CSP.
 */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a URL path to a file inside `root`, or null. Rejects anything that would leave `root`
 * (`..`, encoded `%2e%2e`, backslashes, NUL) and dot-files; `/` and extension-less paths fall back
 * to index.html so a reload on a client-side route still loads the app.
 *
 * @example
 * await resolveStaticFile('/app/dist/renderer', '/assets/index-abc.js'); // { file: '/app/.../index-abc.js', ... }
 * await resolveStaticFile('/app/dist/renderer', '/../package.json');     // null
 */
export async function resolveStaticFile(root: string, urlPath: string): Promise<{ file: string; contentType: string; size: number } | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..' || s.startsWith('.'))) return null;
  const base = path.resolve(root);
  const candidate = path.resolve(base, ...segments);
  if (candidate !== base && !candidate.startsWith(base + path.sep)) return null;
  const found = await statFile(candidate);
  if (found) return found;
  const last = segments[segments.length - 1] ?? '';
  if (!path.extname(last)) return statFile(path.join(base, 'index.html'));
  return null;
}

async function statFile(file: string) {
  try {
    const st = await fs.stat(file);
    if (st.isFile()) return { file, contentType: contentTypeOf(file), size: st.size };
    if (st.isDirectory()) {
      const index = path.join(file, 'index.html');
      const ist = await fs.stat(index).catch(() => null);
      if (ist?.isFile()) return { file: index, contentType: contentTypeOf(index), size: ist.size };
    }
  } catch {}
  return null;
}

/**
 * The studio's Content-Security-Policy. Monaco needs inline styles (it injects <style>), blob/self
 * workers and data: fonts; `connectSrc` adds the event WebSocket origin for the browser studio.
 */
export function studioCsp(connectSrc: string[] = [], extraScriptSrc: string[] = []): string {
  return [
    "default-src 'self'",
    `script-src ${["'self'", ...extraScriptSrc].join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "worker-src 'self' blob:",
    `connect-src ${["'self'", ...connectSrc].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Headers every served page and asset carries. Referrer off: the page URL can carry the token. */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}
