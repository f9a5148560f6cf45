import { describe, expect, it } from 'vitest';
import { curlToSettings, settingsToCurl } from '../../core/nodes/http-request/curl';
import { httpRequestSettingsSchema } from '../../core/nodes/http-request/spec';
import { checkSubscriptionUrl, validateSubscriptions } from '../../core/model/subscription';
import { parseCurl } from '../../core/model/curl';

/** Import from / copy as cURL for Web Integration settings, and the subscription model's rules. */
describe('curlToSettings', () => {
  it('-u becomes a basic connection with a new secret; form bodies become form fields', () => {
    const r = curlToSettings(`curl -u acme:pa55word -d 'a=1&b=two+words' https://x.example/form`);
    expect(r.secrets).toEqual([{ name: 'CURL_PASSWORD', value: 'pa55word' }]);
    expect(r.settings).toMatchObject({
      method: 'POST',
      contentType: 'application/x-www-form-urlencoded',
      form: [{ name: 'a', value: '1' }, { name: 'b', value: 'two words' }],
      connection: { auth: { type: 'basic', username: 'acme', passwordSecret: 'CURL_PASSWORD' } },
    });
    expect(httpRequestSettingsSchema.safeParse(r.settings).success).toBe(true);
  });

  it('a single API-key header becomes apiKey auth; several credential headers become custom auth headers', () => {
    expect(curlToSettings(`curl -H 'X-Api-Key: k-123456' https://x.example/`).settings.connection?.auth).toEqual({ type: 'apiKey', in: 'header', name: 'X-Api-Key', valueSecret: 'CURL_API_KEY' });
    const r = curlToSettings(`curl -H 'X-Api-Key: k-123456' -H 'Cookie: sid=abcdef' https://x.example/`, (n) => n === 'CURL_X_API_KEY');
    expect(r.settings.connection?.auth).toEqual({ type: 'headers', headers: [{ name: 'X-Api-Key', valueSecret: 'CURL_X_API_KEY_2' }, { name: 'Cookie', valueSecret: 'CURL_COOKIE' }] });
    expect(r.secrets.map((s) => s.value)).toEqual(['k-123456', 'sid=abcdef']);
  });

  it('importing the same command again reuses the secrets that already hold its credentials (they piled up as _2, _3)', () => {
    const stored: Record<string, string> = { CURL_X_API_KEY: 'k-123456', CURL_COOKIE: 'sid=OLD' };
    const again = curlToSettings(`curl -H 'X-Api-Key: k-123456' -H 'Cookie: sid=abcdef' https://x.example/`, (n) => n in stored, (n, v) => stored[n] === v);
    expect(again.settings.connection?.auth).toEqual({ type: 'headers', headers: [{ name: 'X-Api-Key', valueSecret: 'CURL_X_API_KEY' }, { name: 'Cookie', valueSecret: 'CURL_COOKIE_2' }] });
    // Only the cookie that changed is stored anew.
    expect(again.secrets).toEqual([{ name: 'CURL_COOKIE_2', value: 'sid=abcdef' }]);
  });

  it('-k turns verification off explicitly, with a note; unknown content types stay headers', () => {
    const r = curlToSettings(`curl -k -H 'Content-Type: application/vnd.acme+json' --data-raw '{}' https://x.example/`);
    expect(r.settings.connection).toEqual({ auth: { type: 'none' }, tls: { rejectUnauthorized: false } });
    expect(r.notes[0]).toContain('TLS verification is turned off');
    expect(r.settings.headers).toEqual([{ name: 'Content-Type', value: 'application/vnd.acme+json' }]);
    expect(r.settings.contentType).toBe('text/plain');
  });

  it('round trip: settings -> cURL -> settings keeps method, URL, query, headers and body', () => {
    const s = httpRequestSettingsSchema.parse({
      method: 'PUT',
      url: 'https://api.example.com/orders/{{data.id}}',
      query: [{ name: 'v', value: '2' }],
      headers: [{ name: 'X-Trace', value: 'a b' }],
      contentType: 'application/xml',
      body: "<a x='1'>it's</a>",
    });
    const curl = settingsToCurl(s, { auth: { type: 'apiKey', in: 'query', name: 'key', valueSecret: 'K' } });
    expect(curl).toContain('key=<secret:K>');
    const back = parseCurl(curl);
    expect(back).toMatchObject({ method: 'PUT', body: "<a x='1'>it's</a>" });
    expect(back.url).toBe('https://api.example.com/orders/{{data.id}}?v=2&key=<secret:K>');
    expect(back.headers).toEqual([['X-Trace', 'a b'], ['Content-Type', 'application/xml']]);
  });
});

describe('subscription model', () => {
  it('https always; http only for loopback names, with a warning', () => {
    expect(checkSubscriptionUrl('https://erp.example/hook')).toEqual({ ok: true });
    for (const u of ['http://localhost:9000/x', 'http://127.0.0.1/x', 'http://[::1]:8080/x']) expect(checkSubscriptionUrl(u)).toMatchObject({ ok: true, warning: expect.any(String) });
    for (const u of ['http://10.0.0.1/x', 'http://localhost.evil.example/x', 'ftp://x/', 'nonsense']) expect(checkSubscriptionUrl(u).ok).toBe(false);
  });

  it('duplicate ids and missing secrets names are problems with paths', () => {
    const r = validateSubscriptions({
      subscriptions: [
        { id: 'a', eventType: 'ORDER', url: 'https://x.example' },
        { id: 'a', eventType: 'INVOICE', url: 'https://x.example', auth: { type: 'basic', username: 'u', passwordSecret: 'bad name' } },
      ],
    });
    expect(r.set).toBeUndefined();
    expect(r.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['subscriptions[1].id', 'subscriptions[1].auth.passwordSecret']));
  });
});
