import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digest, hmac, type DigestAlgorithm } from '../../core/template/digest';
import { fromBase64, toBase64, toBase64Url, toHex, utf8, fromUtf8 } from '../../core/template/encoding';

const hex = (a: DigestAlgorithm, s: string) => toHex(digest(a, utf8(s)));

describe('digests: published test vectors', () => {
  it('SHA-256 (FIPS 180-2)', () => {
    expect(hex('sha256', '')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex('sha256', 'abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex('sha256', 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    expect(hex('sha256', 'a'.repeat(1_000_000))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });
  it('SHA-1 (FIPS 180-1)', () => {
    expect(hex('sha1', 'abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(hex('sha1', 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('84983e441c3bd26ebaae4aa1f95129e5e54670f1');
    expect(hex('sha1', '')).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
  });
  it('SHA-512 (FIPS 180-2)', () => {
    expect(hex('sha512', 'abc')).toBe('ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f');
    expect(hex('sha512', '')).toBe('cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e');
  });
  it('MD5 (RFC 1321)', () => {
    expect(hex('md5', '')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(hex('md5', 'abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(hex('md5', 'message digest')).toBe('f96b697d7cb7938d525a2f31aaf161d0');
  });
  it('HMAC (RFC 4231 case 2, RFC 2202)', () => {
    const h = (a: DigestAlgorithm, k: string, m: string) => toHex(hmac(a, utf8(k), utf8(m)));
    expect(h('sha256', 'Jefe', 'what do ya want for nothing?')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    expect(h('sha512', 'Jefe', 'what do ya want for nothing?')).toBe('164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737');
    expect(h('sha1', 'Jefe', 'what do ya want for nothing?')).toBe('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79');
    expect(h('md5', 'Jefe', 'what do ya want for nothing?')).toBe('750c783e6ab0b503eaa86e310a5db738');
    // Keys longer than the block are hashed first (RFC 4231 case 6).
    const longKey = new Uint8Array(131).fill(0xaa);
    expect(toHex(hmac('sha256', longKey, utf8('Test Using Larger Than Block-Size Key - Hash Key First')))).toBe('60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54');
  });
});

describe('digests agree with node:crypto on random input', () => {
  const algos: DigestAlgorithm[] = ['sha256', 'sha1', 'sha512', 'md5'];
  it('digest and hmac over random bytes of every length near block boundaries', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 200 }), fc.constantFrom(...algos), (msg, key, a) => {
        expect(toHex(digest(a, msg))).toBe(createHash(a).update(msg).digest('hex'));
        expect(toHex(hmac(a, key, msg))).toBe(createHmac(a, key).update(msg).digest('hex'));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('encodings', () => {
  it('base64 / base64url / utf8 round-trip and match Buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const b = Buffer.from(bytes);
        expect(toBase64(bytes)).toBe(b.toString('base64'));
        expect(toBase64Url(bytes)).toBe(b.toString('base64url'));
        expect([...fromBase64(toBase64(bytes))]).toEqual([...bytes]);
        expect([...fromBase64(toBase64Url(bytes))]).toEqual([...bytes]);
      }),
      { numRuns: 2000 },
    );
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => {
      expect(fromUtf8(utf8(s))).toBe(s);
    }), { numRuns: 500 });
  });
  it('rejects characters outside the base64 alphabets', () => {
    expect(() => fromBase64('ab$c')).toThrow(/invalid base64 character '\$'/);
  });
});
