import { createHmac, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compileExpression, formatDate } from '../../core/template';

const ev = (src: string, input: unknown = {}) => Promise.resolve(compileExpression(src).evaluate(input));

describe('$uuid', () => {
  it('returns distinct RFC 4122 v4 ids', async () => {
    const a = await ev('$uuid()');
    const b = await ev('$uuid()');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });
});

describe('$formatDate and $nowIn', () => {
  it('formats in a time zone, across a DST change', () => {
    expect(formatDate('2024-03-31T00:30:00Z', 'yyyy-MM-dd HH:mm XXX', 'Europe/Berlin')).toBe('2024-03-31 01:30 +01:00');
    expect(formatDate('2024-03-31T01:30:00Z', 'yyyy-MM-dd HH:mm XXX', 'Europe/Berlin')).toBe('2024-03-31 03:30 +02:00');
    expect(formatDate(Date.UTC(2024, 6, 4, 16, 5), "EEEE d MMMM yyyy, h:mm a xx", 'America/New_York')).toBe('Thursday 4 July 2024, 12:05 PM -0400');
    expect(formatDate('2024-01-01T00:00:00Z', 'HH:mm XXX', 'Asia/Kolkata')).toBe('05:30 +05:30');
  });
  it('defaults to ISO 8601 in UTC', () => {
    expect(formatDate('2024-01-02T03:04:05.006Z')).toBe('2024-01-02T03:04:05.006Z');
    expect(formatDate(Date.UTC(2024, 0, 2), "EEE, dd MMM yyyy HH:mm:ss 'GMT'")).toBe('Tue, 02 Jan 2024 00:00:00 GMT');
    expect(formatDate('0050-06-01T00:00:00Z', "yyyy-MM-dd''")).toBe("0050-06-01'");
  });
  it('works from expressions, with errors that name the function', async () => {
    expect(await ev("$formatDate(data.t, 'dd.MM.yyyy HH:mm', 'Europe/Berlin')", { data: { t: '2024-12-24T17:00:00Z' } })).toBe('24.12.2024 18:00');
    expect(await ev('$formatDate(data.missing)', { data: {} })).toBeUndefined();
    await expect(ev("$formatDate('yesterday')")).rejects.toThrow(/\$formatDate: "yesterday" is not a valid date/);
    // Out of a Date's range: the same message, not JavaScript's bare "Invalid time value".
    await expect(ev('$formatDate(1e20)')).rejects.toThrow('$formatDate: 100000000000000000000 is not a valid date (use epoch milliseconds or ISO 8601)');
    await expect(ev("$formatDate(0, 'yyyy', 'Mars/Olympus')")).rejects.toThrow(/unknown time zone 'Mars\/Olympus'/);
  });
  it('$nowIn gives the current time in a zone', async () => {
    const year = String(new Date().getUTCFullYear());
    expect(await ev("$nowIn('UTC', 'yyyy')")).toBe(year);
    expect(await ev("$nowIn('Asia/Tokyo')")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+09:00$/);
  });
});

describe('$hash and $hmac', () => {
  it('hash text as UTF-8 with a chosen algorithm and encoding', async () => {
    expect(await ev("$hash('abc')")).toBe(createHash('sha256').update('abc').digest('hex'));
    expect(await ev("$hash('héllo', 'sha1', 'base64')")).toBe(createHash('sha1').update('héllo').digest('base64'));
    expect(await ev("$hash('x', 'SHA-512', 'base64url')")).toBe(createHash('sha512').update('x').digest('base64url'));
    expect(await ev("$hash('x', 'md5')")).toBe(createHash('md5').update('x').digest('hex'));
    expect(await ev('$hash(data.none)', { data: {} })).toBeUndefined();
  });
  it('hmac signs a webhook body', async () => {
    const body = '{"event":"order.created","id":42}';
    expect(await ev("$hmac(data.body, $env.SECRET, 'sha256', 'base64')", { data: { body } }).catch(() => 'needs env')).toBe('needs env');
    const e = compileExpression("'sha256=' & $hmac(data.body, $env.SECRET)");
    expect(await e.evaluate({ data: { body } }, { env: { SECRET: 's3cr3t' } })).toBe('sha256=' + createHmac('sha256', 's3cr3t').update(body).digest('hex'));
  });
  it('names the function and the problem on bad arguments', async () => {
    await expect(ev("$hash('a', 'sha3')")).rejects.toThrow("$hash: unknown algorithm 'sha3' (use sha256, sha1, sha512, md5)");
    await expect(ev("$hash('a', 'sha256', 'b32')")).rejects.toThrow("$hash: unknown encoding 'b32'");
    await expect(ev("$hmac('a', null)")).rejects.toThrow('$hmac: key is required');
  });
});

describe('base64 helpers', () => {
  it('encode UTF-8 and decode back', async () => {
    expect(await ev("$base64('héllo ✓')")).toBe(Buffer.from('héllo ✓').toString('base64'));
    expect(await ev("$base64url('??>>')")).toBe(Buffer.from('??>>').toString('base64url'));
    expect(await ev("$base64Decode($base64('héllo ✓'))")).toBe('héllo ✓');
    expect(await ev("$base64urlDecode($base64url('??>> ✓'))")).toBe('??>> ✓');
    await expect(ev("$base64Decode('*')")).rejects.toThrow(/\$base64Decode: invalid base64 character/);
  });
});

describe('$hmac key encodings', () => {
  it('reads hex and base64 keys as bytes', async () => {
    const key = Buffer.from([0, 1, 2, 250, 255]);
    const want = createHmac('sha256', key).update('m').digest('hex');
    expect(await ev(`$hmac('m', '${key.toString('hex')}', 'sha256', 'hex', 'hex')`)).toBe(want);
    expect(await ev(`$hmac('m', '${key.toString('base64')}', 'sha256', 'hex', 'base64')`)).toBe(want);
    await expect(ev("$hmac('m', 'xyz', 'sha256', 'hex', 'hex')")).rejects.toThrow('$hmac: key is not valid hex');
    await expect(ev("$hmac('m', 'k', 'sha256', 'hex', 'rot13')")).rejects.toThrow("$hmac: unknown key encoding 'rot13'");
  });
});
