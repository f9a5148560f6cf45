/**
 * "Copy as cURL" and "Import from cURL" for the Web Integration node. Pure and browser-safe: the
 * studio converts in place, without a round trip to the runtime.
 */
import { readAnsiCQuote } from './ansi-c-quote';

export interface CurlRequest {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  body?: string;
  basicAuth?: { username: string; password: string };
  /** `-k` / `--insecure` was given: the caller should turn TLS verification off explicitly. */
  insecure?: boolean;
  /** `-F` / `--form` text fields (a multipart body); toCurl writes them back as `-F`. */
  form?: Array<[string, string]>;
  /** `--max-time` / `--connect-timeout` in milliseconds. */
  timeoutMs?: number;
  connectTimeoutMs?: number;
  /** `--retry N`. */
  retries?: number;
  /**
   * TLS and proxy options toCurl writes (Copy as cURL of a connection with them): `--cert-type` / `--cert` / `--key` /
   * `--pass`, `--cacert`, `--proxy` / `--proxy-user`, each value as the connection gives it (a path placeholder).
   */
  tls?: { certType?: 'P12' | 'PEM'; cert?: string; key?: string; pass?: string; cacert?: string };
  proxy?: { url: string; user?: string };
  /** What the parse assumed or left out (`-o`, a URL without scheme), for the user to read. */
  notes?: string[];
}

/** Quotes one shell word so that POSIX shells pass it through unchanged. */
export function shellQuote(s: string): string {
  if (/^[A-Za-z0-9_\-./:=@%+,]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Renders a request as a one-line-per-option cURL command.
 *
 * @example
 * toCurl({ method: 'POST', url: 'https://api.example.com/orders', headers: [['Content-Type', 'application/json']], body: '{"a":1}' })
 * // curl -X POST 'https://api.example.com/orders' \
 * //   -H 'Content-Type: application/json' \
 * //   --data-raw '{"a":1}'
 */
export function toCurl(req: CurlRequest): string {
  const parts: string[] = ['curl'];
  const method = req.method.toUpperCase();
  if (method === 'HEAD') parts.push('-I');
  else if (method !== 'GET' || req.body !== undefined) parts.push('-X', method);
  parts.push(shellQuote(req.url));
  const lines = [parts.join(' ')];
  if (req.basicAuth) lines.push(`-u ${shellQuote(`${req.basicAuth.username}:${req.basicAuth.password}`)}`);
  for (const [n, v] of req.headers) lines.push(`-H ${shellQuote(`${n}: ${v}`)}`);
  // --form-string: a value starting with @ or < is sent as it is, not read from a file.
  for (const [n, v] of req.form ?? []) lines.push(`--form-string ${shellQuote(`${n}=${v}`)}`);
  if (req.body !== undefined) lines.push(`--data-raw ${shellQuote(req.body)}`);
  const t = req.tls;
  if (t?.cert) lines.push(`${t.certType === 'P12' ? '--cert-type P12 ' : ''}--cert ${shellQuote(t.cert)}`);
  if (t?.key) lines.push(`--key ${shellQuote(t.key)}`);
  if (t?.pass) lines.push(`--pass ${shellQuote(t.pass)}`);
  if (t?.cacert) lines.push(`--cacert ${shellQuote(t.cacert)}`);
  if (req.proxy) lines.push(`--proxy ${shellQuote(req.proxy.url)}`);
  if (req.proxy?.user) lines.push(`--proxy-user ${shellQuote(req.proxy.user)}`);
  if (req.insecure) lines.push('-k');
  return lines.join(' \\\n  ');
}

/** Splits a shell command line into words: single, double and $'…' quotes, backslash escapes, line continuations. */
export function shellSplit(text: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  const s = text.replace(/\\\r?\n/g, ' ').replace(/\^\r?\n/g, ' ');
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      i++;
    } else if (c === "'") {
      const end = s.indexOf("'", i + 1);
      if (end < 0) throw new Error('curl: unterminated single quote');
      cur += s.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '$' && s[i + 1] === "'") {
      const q = readAnsiCQuote(s, i + 2);
      if (!q) throw new Error("curl: unterminated $'…' quote");
      cur += q.value;
      inWord = true;
      i = q.end;
    } else if (c === '"') {
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < s.length && '"\\$`'.includes(s[i + 1])) {
          cur += s[i + 1];
          i += 2;
        } else cur += s[i++];
      }
      if (i >= s.length) throw new Error('curl: unterminated double quote');
      inWord = true;
      i++;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[i + 1];
      inWord = true;
      i += 2;
    } else {
      cur += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/**
 * Chrome's "Copy as cURL (cmd)": every argument in ^"…^" (the URL first), lines continued with a trailing ^. A `^"`
 * after a blank alone does not tell: a POSIX command may carry one inside '…' (a header `X: ^"`), so it counts only
 * where no single quote is.
 */
function isCmdSyntax(text: string): boolean {
  return /^curl(\.exe)?\s+\^"/.test(text) || /\s\^\r?\n/.test(text) || (/(^|\s)\^"/.test(text) && !text.includes("'"));
}

/**
 * Splits a Windows cmd.exe command line as cmd.exe and then the C runtime would: `^x` is x (`^` + line break
 * continues the line and takes the next character as it is), then words split on blanks outside "…", where
 * backslashes escape a quote (2n backslashes + `"` = n backslashes and a quote that groups; 2n+1 = a literal `"`).
 */
export function cmdSplit(text: string): string[] {
  let line = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '^') {
      line += text[i];
      continue;
    }
    // A caret before a line break joins the lines and takes the character after the break as it is.
    if (text[i + 1] === '\r' && text[i + 2] === '\n') i += 2;
    else if (text[i + 1] === '\n') i += 1;
    line += text[++i] ?? '';
  }
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') {
      let n = 0;
      while (line[i + n] === '\\') n++;
      i += n - 1;
      if (line[i + 1] === '"') {
        i++;
        cur += '\\'.repeat(n >> 1);
        if (n % 2) cur += '"';
        else quoted = !quoted;
      } else cur += '\\'.repeat(n);
      inWord = true;
    } else if (c === '"') {
      quoted = !quoted;
      inWord = true;
    } else if (!quoted && /\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quoted) throw new Error('curl: unterminated double quote');
  if (inWord) words.push(cur);
  return words;
}

const IGNORED_FLAGS = new Set(['-s', '--silent', '-S', '--show-error', '-v', '--verbose', '-i', '--include', '-L', '--location', '--compressed', '-f', '--fail', '-g', '--globoff', '--http1.1', '--http2', '-#', '--progress-bar', '--no-buffer', '-N', '--location-trusted', '--fail-with-body']);
/** Options about where curl writes its output: nothing to do with the request, left out with a note. */
const OUTPUT_OPTIONS = new Set(['-o', '--output', '-w', '--write-out', '-D', '--dump-header', '-O', '--remote-name']);
const UNSUPPORTED: Record<string, string> = {
  '-T': 'file upload', '--upload-file': 'file upload',
  '--oauth2-bearer': 'bearer tokens (use a connection)', '-K': 'config files', '--config': 'config files',
};

/**
 * Parses a cURL command (as copied from browser dev tools or API docs) into a request.
 * Unsupported options fail with an error naming the option, never silently.
 *
 * @example
 * parseCurl(`curl -u me:pw -H 'Accept: application/json' https://api.example.com/x`)
 * // { method: 'GET', url: 'https://api.example.com/x', headers: [['Accept', 'application/json']], basicAuth: { username: 'me', password: 'pw' } }
 */
export function parseCurl(text: string): CurlRequest {
  const trimmed = text.trim();
  const words = isCmdSyntax(trimmed) ? cmdSplit(trimmed) : shellSplit(trimmed);
  if (words[0] === 'curl.exe') words[0] = 'curl';
  if (words[0] !== 'curl') throw new Error('curl: the command must start with "curl"');
  let method: string | undefined;
  let url: string | undefined;
  let get = false;
  const headers: Array<[string, string]> = [];
  const data: string[] = [];
  const form: Array<[string, string]> = [];
  const notes: string[] = [];
  const out: CurlRequest = { method: 'GET', url: '', headers };
  for (let i = 1; i < words.length; i++) {
    let w = words[i];
    let attached: string | undefined;
    // Short options may carry their value attached (`-XPOST`, `-HAccept:x`).
    if (/^-[XHduAebFmExU]./.test(w)) {
      attached = w.slice(2);
      w = w.slice(0, 2);
    }
    const value = (): string => {
      if (attached !== undefined) return attached;
      if (i + 1 >= words.length) throw new Error(`curl: option ${w} needs a value`);
      return words[++i];
    };
    if (UNSUPPORTED[w]) throw new Error(`curl: option ${w} is not supported (${UNSUPPORTED[w]})`);
    if (IGNORED_FLAGS.has(w)) continue;
    if (OUTPUT_OPTIONS.has(w)) {
      if (w !== '-O' && w !== '--remote-name') value();
      notes.push(`${w} (curl's output) was left out: the node passes the response on.`);
      continue;
    }
    switch (w) {
      case '-X':
      case '--request':
        method = value().toUpperCase();
        break;
      case '-H':
      case '--header': {
        const h = value();
        const idx = h.indexOf(':');
        if (idx <= 0) throw new Error(`curl: header ${JSON.stringify(h)} must look like "Name: value"`);
        headers.push([h.slice(0, idx).trim(), h.slice(idx + 1).trim()]);
        break;
      }
      case '-d':
      case '--data':
      case '--data-ascii':
      case '--data-binary':
      case '--data-raw': {
        const d = value();
        if (w !== '--data-raw' && d.startsWith('@')) throw new Error(`curl: option ${w} with @file is not supported (paste the body instead)`);
        // curl strips line breaks only from a body read from a file (@file, refused above): a pasted multi-line
        // body (Postman's pretty-printed JSON) is sent with its line breaks.
        data.push(d);
        break;
      }
      case '--data-urlencode': {
        const d = value();
        const eq = d.indexOf('=');
        if (/^[^=]*@/.test(d) && (eq < 0 || d.indexOf('@') < eq)) throw new Error(`curl: option ${w} with @file is not supported (paste the value instead)`);
        // `=content` sends the encoded content alone, as curl does.
        data.push(eq < 0 ? encodeURIComponent(d) : eq === 0 ? encodeURIComponent(d.slice(1)) : `${d.slice(0, eq + 1)}${encodeURIComponent(d.slice(eq + 1))}`);
        break;
      }
      case '-F':
      case '--form':
      case '--form-string': {
        const f = value();
        const eq = f.indexOf('=');
        if (eq <= 0) throw new Error(`curl: ${w} ${JSON.stringify(f)} must look like name=value`);
        let v = f.slice(eq + 1);
        if (w !== '--form-string') {
          if (v.startsWith('@') || v.startsWith('<')) throw new Error(`curl: option ${w} is not supported (multipart forms) with a file: ${JSON.stringify(f)} reads a file; the Web Integration node sends text fields (name=value) only`);
          // Postman writes --form 'name="value"'; curl takes the quoted text as the value, and `;type=` as its content type.
          const quoted = /^"((?:[^"\\]|\\.)*)"(;.*)?$/.exec(v);
          v = quoted ? quoted[1].replace(/\\(.)/g, '$1') : v.replace(/;type=[^;]*$/, '');
        }
        form.push([f.slice(0, eq), v]);
        break;
      }
      case '-m':
      case '--max-time':
        out.timeoutMs = seconds(w, value());
        break;
      case '--connect-timeout':
        out.connectTimeoutMs = seconds(w, value());
        break;
      case '--retry': {
        const n = value();
        if (!/^\d+$/.test(n)) throw new Error(`curl: option ${w} needs a whole number, not ${JSON.stringify(n)}`);
        out.retries = Number(n);
        break;
      }
      case '--json':
        data.push(value());
        if (!hasHeader(headers, 'content-type')) headers.push(['Content-Type', 'application/json']);
        if (!hasHeader(headers, 'accept')) headers.push(['Accept', 'application/json']);
        break;
      case '-u':
      case '--user': {
        const u = value();
        const idx = u.indexOf(':');
        out.basicAuth = idx < 0 ? { username: u, password: '' } : { username: u.slice(0, idx), password: u.slice(idx + 1) };
        break;
      }
      case '-A':
      case '--user-agent':
        headers.push(['User-Agent', value()]);
        break;
      case '-e':
      case '--referer':
        headers.push(['Referer', value()]);
        break;
      case '-b':
      case '--cookie':
        headers.push(['Cookie', value()]);
        break;
      case '-I':
      case '--head':
        method = 'HEAD';
        break;
      case '-G':
      case '--get':
        get = true;
        break;
      case '-k':
      case '--insecure':
        out.insecure = true;
        break;
      case '--url':
        url = value();
        break;
      // Certificates and proxies: curlToSettings turns them into the inline connection's (see there).
      case '-E':
      case '--cert':
        out.tls = { ...out.tls, cert: value() };
        break;
      case '--cert-type': {
        const t = value().toUpperCase();
        if (t !== 'P12' && t !== 'PEM') throw new Error(`curl: --cert-type ${t} is not supported (P12 or PEM)`);
        out.tls = { ...out.tls, certType: t };
        break;
      }
      case '--key':
        out.tls = { ...out.tls, key: value() };
        break;
      case '--pass':
        out.tls = { ...out.tls, pass: value() };
        break;
      case '--cacert':
        out.tls = { ...out.tls, cacert: value() };
        break;
      case '-x':
      case '--proxy':
        out.proxy = { ...out.proxy, url: value() };
        break;
      case '-U':
      case '--proxy-user':
        out.proxy = { url: out.proxy?.url ?? '', user: value() };
        break;
      default:
        if (w.startsWith('-') && w.length > 1) {
          if (/^-[a-zA-Z]{2,}$/.test(w) && [...w.slice(1)].every((f) => IGNORED_FLAGS.has(`-${f}`) || f === 'k' || f === 'I' || f === 'G')) {
            for (const f of w.slice(1)) {
              if (f === 'k') out.insecure = true;
              if (f === 'I') method = 'HEAD';
              if (f === 'G') get = true;
            }
            break;
          }
          throw new Error(`curl: option ${w} is not supported`);
        }
        if (url !== undefined) throw new Error(`curl: more than one URL (${JSON.stringify(url)} and ${JSON.stringify(w)})`);
        url = w;
    }
  }
  if (!url) throw new Error('curl: no URL given');
  // A path alone names no host (curl refuses it too; "http://" in front would make its first segment the host).
  if (url.startsWith('/')) throw new Error(`curl: the URL ${JSON.stringify(url)} has no host: give the whole URL, e.g. https://partner.example${url}`);
  // Like curl, a URL without a scheme means http://.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    notes.push(`The URL ${JSON.stringify(url)} has no scheme: http:// was assumed, as curl does; use https:// if the partner expects TLS.`);
    url = `http://${url}`;
  }
  if (!isUrl(url.replace(/\{\{[^}]*\}\}/g, 'x'))) throw new Error(`curl: the URL ${JSON.stringify(url)} is not a valid URL`);
  out.url = url;
  if (form.length) {
    if (data.length) throw new Error('curl: -F (multipart form) and -d (request body) cannot be combined');
    out.form = form;
  }
  if (notes.length) out.notes = notes;
  if (data.length) {
    const body = data.join('&');
    if (get) out.url = url + (url.includes('?') ? '&' : '?') + body;
    else {
      out.body = body;
      if (!hasHeader(headers, 'content-type')) headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
    }
  }
  out.method = method ?? ((data.length && !get) || form.length ? 'POST' : 'GET');
  return out;
}

function isUrl(s: string): boolean {
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}

/** `--max-time 2.5` -> 2500 (ms). */
function seconds(option: string, v: string): number {
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || n <= 0) throw new Error(`curl: option ${option} needs a number of seconds, not ${JSON.stringify(v)}`);
  return Math.round(n * 1000);
}

function hasHeader(headers: Array<[string, string]>, name: string): boolean {
  return headers.some(([n]) => n.toLowerCase() === name);
}
