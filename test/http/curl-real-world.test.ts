import { describe, expect, it } from 'vitest';
import { cmdSplit, parseCurl } from '../../core/model/curl';
import { curlToSettings, settingsToCurl } from '../../core/nodes/http-request/curl';
import { httpRequestSettingsSchema } from '../../core/nodes/http-request/spec';

/** Commands as Postman ("Code snippet: cURL") and Chrome ("Copy as cURL (bash)") write them. */
const POSTMAN_JSON = `curl --location 'https://api.example.com/orders?page=2' \\
--header 'Content-Type: application/json' \\
--header 'Authorization: Basic dXNlcjpwYXNz' \\
--data '{
    "note": "line1",
    "qty": 1
}'`;

const POSTMAN_FORM = `curl --location 'https://api.example.com/upload' \\
--form 'name="Ada \\"the first\\""' \\
--form 'kind=plain;type=text/plain'`;

const CHROME_MULTIPART = `curl 'https://app.example.com/up' \\
  -H 'accept: */*' \\
  -H 'content-type: multipart/form-data; boundary=----WebKitFormBoundaryAbc' \\
  --data-raw $'------WebKitFormBoundaryAbc\\r\\nContent-Disposition: form-data; name="name"\\r\\n\\r\\nAda\\r\\n------WebKitFormBoundaryAbc\\r\\nContent-Disposition: form-data; name="lines"\\r\\n\\r\\none\\r\\ntwo\\r\\n------WebKitFormBoundaryAbc--\\r\\n' \\
  --compressed`;

describe('Import from cURL: real-world commands', () => {
  it("keeps the line breaks of Postman's pretty-printed --data body (curl strips them only from @file)", () => {
    const r = curlToSettings(POSTMAN_JSON);
    expect(r.settings.body).toBe('{\n    "note": "line1",\n    "qty": 1\n}');
    expect(parseCurl(`curl -d $'a\\nb' http://x/`).body).toBe('a\nb');
  });

  it('-F / --form text fields become a multipart form (Postman quotes values; ;type= is dropped)', () => {
    const r = curlToSettings(POSTMAN_FORM);
    expect(r.settings).toMatchObject({ method: 'POST', contentType: 'multipart/form-data', form: [{ name: 'name', value: 'Ada "the first"' }, { name: 'kind', value: 'plain' }] });
    expect(httpRequestSettingsSchema.safeParse(r.settings).success).toBe(true);
    expect(() => parseCurl(`curl -F 'file=@/tmp/a.pdf' https://x.example/`)).toThrow('"file=@/tmp/a.pdf" reads a file; the Web Integration node sends text fields (name=value) only');
    expect(() => parseCurl(`curl -F a=1 -d b=2 https://x.example/`)).toThrow('cannot be combined');
  });

  it("Chrome's raw multipart body becomes form fields instead of being dropped; a file part is named", () => {
    const r = curlToSettings(CHROME_MULTIPART);
    expect(r.settings.contentType).toBe('multipart/form-data');
    expect(r.settings.form).toEqual([{ name: 'name', value: 'Ada' }, { name: 'lines', value: 'one\r\ntwo' }]);
    expect(r.settings.body).toBeUndefined();
    const withFile = CHROME_MULTIPART.replace('name="lines"', 'name="doc"; filename="a.pdf"');
    expect(() => curlToSettings(withFile)).toThrow('form field "doc" is a file upload');
  });

  it('copy as cURL writes a multipart node as --form-string fields that import back unchanged', () => {
    const s = httpRequestSettingsSchema.parse({ method: 'POST', url: 'https://api.example.com/orders/{{data.id}}', contentType: 'multipart/form-data', form: [{ name: 'a', value: '@not-a-file' }, { name: 'b', value: '{{data.b}}' }] });
    const curl = settingsToCurl(s);
    expect(curl).toContain("--form-string a=@not-a-file");
    expect(curl).not.toContain('Content-Type');
    const back = curlToSettings(curl).settings;
    // The template in the URL survives (new URL() would have percent-encoded its braces).
    expect(back).toMatchObject({ url: 'https://api.example.com/orders/{{data.id}}', contentType: 'multipart/form-data', form: s.form });
  });

  it('a credential in the query (?api_key=) goes into a secret and an API-key-in-query connection, not the flow', () => {
    const r = curlToSettings(`curl 'https://api.example.com/x?api_key=QK-777&q=1'`);
    expect(r.settings.query).toEqual([{ name: 'q', value: '1' }]);
    expect(r.settings.connection?.auth).toEqual({ type: 'apiKey', in: 'query', name: 'api_key', valueSecret: 'CURL_API_KEY' });
    expect(r.secrets).toEqual([{ name: 'CURL_API_KEY', value: 'QK-777' }]);
    expect(JSON.stringify(r.settings)).not.toContain('QK-777');
    // With header credentials too, the query key stays (one auth kind per connection), and a note says so.
    const both = curlToSettings(`curl -H 'Authorization: Bearer t0k' 'https://api.example.com/x?token=abc'`);
    expect(both.settings.connection?.auth.type).toBe('bearer');
    expect(both.notes.join(' ')).toContain('token look like credentials');
  });

  it('a URL without a scheme gets http:// as in curl, with a note; an invalid URL is named', () => {
    const r = curlToSettings('curl api.example.com/x');
    expect(r.settings.url).toBe('http://api.example.com/x');
    expect(r.notes[0]).toContain('http:// was assumed');
    expect(() => curlToSettings(`curl 'http://exa mple.com/x'`)).toThrow('curl: the URL "http://exa mple.com/x" is not a valid URL');
  });

  it('--max-time, --connect-timeout and --retry set the node; -o / -w are left out with a note', () => {
    const r = curlToSettings(`curl -sS --max-time 2.5 --connect-timeout 1 --retry 9 -o /dev/null -w '%{http_code}' https://x.example/`);
    expect(r.settings).toMatchObject({ timeoutMs: 2500, connectTimeoutMs: 1000, retry: { retryCount: 5, retryIntervalMs: 1000 } });
    expect(r.notes.join(' ')).toContain('at most 5 times');
    expect(r.notes.join(' ')).toContain("-o (curl's output) was left out");
    expect(httpRequestSettingsSchema.safeParse(r.settings).success).toBe(true);
    expect(() => parseCurl('curl --max-time soon http://x/')).toThrow('--max-time needs a number of seconds');
  });

  it('-u name without a password stores no empty secret and says which secret to set', () => {
    const r = curlToSettings('curl -u alice https://x.example/');
    expect(r.settings.connection?.auth).toEqual({ type: 'basic', username: 'alice', passwordSecret: 'CURL_PASSWORD' });
    expect(r.secrets).toEqual([]);
    expect(r.notes.join(' ')).toContain('set secret CURL_PASSWORD');
  });

  it("--data-urlencode '=content' sends the content alone, as curl does", () => {
    expect(parseCurl(`curl --data-urlencode '=a b&c' http://x/`).body).toBe('a%20b%26c');
    expect(() => parseCurl('curl --data-urlencode name@body.txt http://x/')).toThrow('@file is not supported');
  });
});

/** Chrome DevTools' "Copy as cURL (cmd)" quoting (escapeStringWin), to produce the command a Windows user copies. */
function chromeCmdQuote(str: string): string {
  return `^"${str.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/[^a-zA-Z0-9\s_\-:=+~'/.',?;()*`&]/g, '^$&').replace(/%(?=[a-zA-Z0-9_])/g, '%^').replace(/\r?\n/g, '^\n\n')}^"`;
}

describe("Import from cURL: Chrome's Copy as cURL (cmd) on Windows", () => {
  it('reads ^-escapes, ^"…^" quoting and ^ line continuations back to the request', () => {
    const body = '{"note":"50% off & <b>more</b>","lines":"a\nb","q":"it\'s"}';
    const cmd = [
      `curl ${chromeCmdQuote('https://api.example.com/orders?x=1&y=%41')}`,
      `  -H ${chromeCmdQuote('accept: application/json')}`,
      `  -H ${chromeCmdQuote('content-type: application/json')}`,
      `  -H ${chromeCmdQuote('authorization: Bearer eyJ.x.y')}`,
      `  --data-raw ${chromeCmdQuote(body)}`,
      '  --compressed',
    ].join(' ^\n');
    const r = parseCurl(cmd);
    expect(r).toMatchObject({ method: 'POST', url: 'https://api.example.com/orders?x=1&y=%41', body });
    expect(r.headers).toEqual([['accept', 'application/json'], ['content-type', 'application/json'], ['authorization', 'Bearer eyJ.x.y']]);
    expect(curlToSettings(cmd).settings.connection?.auth).toEqual({ type: 'bearer', tokenSecret: 'CURL_TOKEN' });
    // curl.exe, as PowerShell users type it, is curl too.
    expect(parseCurl('curl.exe ^"https://x.example/a?b=1^"').url).toBe('https://x.example/a?b=1');
    // The C runtime's backslash rules: \" is a quote; \\" is a backslash and a grouping quote; other backslashes stay.
    expect(cmdSplit(String.raw`curl "b\"c" d\\"e f" C:\tmp ^"x^"`)).toEqual(['curl', 'b"c', 'd\\e f', 'C:\\tmp', 'x']);
  });
});

describe('Copy as cURL, then Import from cURL', () => {
  it('refers to the same secrets again instead of storing "<secret:NAME>" as a new secret value', () => {
    const s = httpRequestSettingsSchema.parse({ method: 'GET', url: 'https://api.example.com/x', contentType: 'none' });
    const auths = [
      { type: 'basic', username: 'alice', passwordSecret: 'ERP_PASSWORD' },
      { type: 'bearer', tokenSecret: 'ERP_TOKEN' },
      { type: 'apiKey', in: 'header', name: 'X-Api-Key', valueSecret: 'ERP_KEY' },
      { type: 'apiKey', in: 'query', name: 'api_key', valueSecret: 'ERP_KEY' },
      { type: 'headers', headers: [{ name: 'X-Api-Key', valueSecret: 'ERP_KEY' }, { name: 'Cookie', valueSecret: 'ERP_COOKIE' }] },
    ] as const;
    for (const auth of auths) {
      const back = curlToSettings(settingsToCurl(s, { auth: auth as never }), (n) => n.startsWith('ERP_'));
      expect(back.secrets).toEqual([]);
      expect(back.settings.connection?.auth).toEqual(auth);
      expect(back.settings.query).toEqual([]);
    }
  });

  it("an OAuth2 connection's token placeholder is dropped with a note, not stored as a credential", () => {
    const s = httpRequestSettingsSchema.parse({ method: 'GET', url: 'https://api.example.com/x', contentType: 'none' });
    const curl = settingsToCurl(s, { auth: { type: 'oauth2ClientCredentials', tokenUrl: 'https://idp.example/token', clientId: 'c', clientSecretSecret: 'CS', authStyle: 'body' } });
    const back = curlToSettings(curl);
    expect(back.secrets).toEqual([]);
    expect(back.settings.connection).toBeUndefined();
    expect(back.notes.join(' ')).toContain('pick the OAuth2 connection');
  });
});
