/**
 * Pure-JS message digests (SHA-256, SHA-1, SHA-512, MD5) and HMAC over bytes.
 *
 * Why not WebCrypto or node:crypto: this module is browser-safe (the editor previews with the same code
 * that runs), and WebCrypto is async only, while JSONata helper functions must answer synchronously.
 * Inputs in integrations are small (signature bases, idempotency keys), so plain JS speed is enough.
 */

export type DigestAlgorithm = 'sha256' | 'sha1' | 'sha512' | 'md5';

export const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['sha256', 'sha1', 'sha512', 'md5'];

const K256 = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

/** Pads per Merkle–Damgård: 0x80, zeros, then the bit length (big- or little-endian) in `lenBytes` bytes. */
function pad(msg: Uint8Array, blockSize: number, lenBytes: number, littleEndian: boolean): DataView {
  const total = Math.ceil((msg.length + 1 + lenBytes) / blockSize) * blockSize;
  const buf = new Uint8Array(total);
  buf.set(msg);
  buf[msg.length] = 0x80;
  const view = new DataView(buf.buffer);
  const bits = msg.length * 8;
  const hi = Math.floor(bits / 0x100000000);
  const lo = bits >>> 0;
  if (littleEndian) {
    view.setUint32(total - 8, lo, true);
    view.setUint32(total - 4, hi, true);
  } else {
    view.setUint32(total - 8, hi, false);
    view.setUint32(total - 4, lo, false);
  }
  return view;
}

function wordsToBytes(words: ArrayLike<number>, littleEndian = false): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < words.length; i++) view.setUint32(i * 4, words[i] >>> 0, littleEndian);
  return out;
}

export function sha256(msg: Uint8Array): Uint8Array {
  const view = pad(msg, 64, 8, false);
  const h = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Int32Array(64);
  for (let off = 0; off < view.byteLength; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getInt32(off + i * 4, false);
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15];
      const b = w[i - 2];
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + K256[i] + w[i]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
  }
  return wordsToBytes(h);
}

export function sha1(msg: Uint8Array): Uint8Array {
  const view = pad(msg, 64, 8, false);
  const h = new Int32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0]);
  const w = new Int32Array(80);
  for (let off = 0; off < view.byteLength; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getInt32(off + i * 4, false);
    for (let i = 16; i < 80; i++) {
      const x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
      w[i] = (x << 1) | (x >>> 31);
    }
    let [a, b, c, d, e] = h;
    for (let i = 0; i < 80; i++) {
      let f: number;
      let k: number;
      if (i < 20) { f = (b & c) | (~b & d); k = 0x5a827999; }
      else if (i < 40) { f = b ^ c ^ d; k = 0x6ed9eba1; }
      else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8f1bbcdc; }
      else { f = b ^ c ^ d; k = 0xca62c1d6; }
      const t = (((a << 5) | (a >>> 27)) + f + e + k + w[i]) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = t;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
  }
  return wordsToBytes(h);
}

const MD5_S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const MD5_K = new Int32Array(64).map((_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 0x100000000) | 0);

export function md5(msg: Uint8Array): Uint8Array {
  const view = pad(msg, 64, 8, true);
  const h = new Int32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]);
  const m = new Int32Array(16);
  for (let off = 0; off < view.byteLength; off += 64) {
    for (let i = 0; i < 16; i++) m[i] = view.getInt32(off + i * 4, true);
    let [a, b, c, d] = h;
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) { f = (b & c) | (~b & d); g = i; }
      else if (i < 32) { f = (d & b) | (~d & c); g = (5 * i + 1) % 16; }
      else if (i < 48) { f = b ^ c ^ d; g = (3 * i + 5) % 16; }
      else { f = c ^ (b | ~d); g = (7 * i) % 16; }
      const s = MD5_S[(i >> 4) * 4 + (i % 4)];
      const x = (a + f + MD5_K[i] + m[g]) | 0;
      a = d;
      d = c;
      c = b;
      b = (b + ((x << s) | (x >>> (32 - s)))) | 0;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d;
  }
  return wordsToBytes(h, true);
}

// SHA-512 works on 64-bit words; JS has no fast 64-bit ints, so each word is a (hi, lo) pair of 32-bit halves.
const K512 = [
  '428a2f98d728ae22', '7137449123ef65cd', 'b5c0fbcfec4d3b2f', 'e9b5dba58189dbbc', '3956c25bf348b538', '59f111f1b605d019',
  '923f82a4af194f9b', 'ab1c5ed5da6d8118', 'd807aa98a3030242', '12835b0145706fbe', '243185be4ee4b28c', '550c7dc3d5ffb4e2',
  '72be5d74f27b896f', '80deb1fe3b1696b1', '9bdc06a725c71235', 'c19bf174cf692694', 'e49b69c19ef14ad2', 'efbe4786384f25e3',
  '0fc19dc68b8cd5b5', '240ca1cc77ac9c65', '2de92c6f592b0275', '4a7484aa6ea6e483', '5cb0a9dcbd41fbd4', '76f988da831153b5',
  '983e5152ee66dfab', 'a831c66d2db43210', 'b00327c898fb213f', 'bf597fc7beef0ee4', 'c6e00bf33da88fc2', 'd5a79147930aa725',
  '06ca6351e003826f', '142929670a0e6e70', '27b70a8546d22ffc', '2e1b21385c26c926', '4d2c6dfc5ac42aed', '53380d139d95b3df',
  '650a73548baf63de', '766a0abb3c77b2a8', '81c2c92e47edaee6', '92722c851482353b', 'a2bfe8a14cf10364', 'a81a664bbc423001',
  'c24b8b70d0f89791', 'c76c51a30654be30', 'd192e819d6ef5218', 'd69906245565a910', 'f40e35855771202a', '106aa07032bbd1b8',
  '19a4c116b8d2d0c8', '1e376c085141ab53', '2748774cdf8eeb99', '34b0bcb5e19b48a8', '391c0cb3c5c95a63', '4ed8aa4ae3418acb',
  '5b9cca4f7763e373', '682e6ff3d6b2b8a3', '748f82ee5defb2fc', '78a5636f43172f60', '84c87814a1f0ab72', '8cc702081a6439ec',
  '90befffa23631e28', 'a4506cebde82bde9', 'bef9a3f7b2c67915', 'c67178f2e372532b', 'ca273eceea26619c', 'd186b8c721c0c207',
  'eada7dd6cde0eb1e', 'f57d4f7fee6ed178', '06f067aa72176fba', '0a637dc5a2c898a6', '113f9804bef90dae', '1b710b35131c471b',
  '28db77f523047d84', '32caab7b40c72493', '3c9ebe0a15c9bebc', '431d67c49c100d4c', '4cc5d4becb3e42b6', '597f299cfc657e2a',
  '5fcb6fab3ad6faec', '6c44198c4a475817',
];
const K512_HI = new Int32Array(K512.map((k) => parseInt(k.slice(0, 8), 16) | 0));
const K512_LO = new Int32Array(K512.map((k) => parseInt(k.slice(8), 16) | 0));
const H512 = ['6a09e667f3bcc908', 'bb67ae8584caa73b', '3c6ef372fe94f82b', 'a54ff53a5f1d36f1', '510e527fade682d1', '9b05688c2b3e6c1f', '1f83d9abfb41bd6b', '5be0cd19137e2179'];

export function sha512(msg: Uint8Array): Uint8Array {
  const view = pad(msg, 128, 16, false);
  const hh = new Int32Array(H512.map((k) => parseInt(k.slice(0, 8), 16) | 0));
  const hl = new Int32Array(H512.map((k) => parseInt(k.slice(8), 16) | 0));
  const wh = new Int32Array(80);
  const wl = new Int32Array(80);
  // 64-bit add of two (hi, lo) pairs; returns hi and leaves lo in `addLo` to avoid allocating tuples.
  let addLo = 0;
  const add = (ah: number, al: number, bh: number, bl: number): number => {
    const lo = (al >>> 0) + (bl >>> 0);
    addLo = lo | 0;
    return (ah + bh + Math.floor(lo / 0x100000000)) | 0;
  };
  for (let off = 0; off < view.byteLength; off += 128) {
    for (let i = 0; i < 16; i++) {
      wh[i] = view.getInt32(off + i * 8, false);
      wl[i] = view.getInt32(off + i * 8 + 4, false);
    }
    for (let i = 16; i < 80; i++) {
      const xh = wh[i - 15], xl = wl[i - 15], yh = wh[i - 2], yl = wl[i - 2];
      // σ0 = rotr1 ^ rotr8 ^ shr7 ; σ1 = rotr19 ^ rotr61 ^ shr6
      const s0h = ((xh >>> 1) | (xl << 31)) ^ ((xh >>> 8) | (xl << 24)) ^ (xh >>> 7);
      const s0l = ((xl >>> 1) | (xh << 31)) ^ ((xl >>> 8) | (xh << 24)) ^ ((xl >>> 7) | (xh << 25));
      const s1h = ((yh >>> 19) | (yl << 13)) ^ ((yl >>> 29) | (yh << 3)) ^ (yh >>> 6);
      const s1l = ((yl >>> 19) | (yh << 13)) ^ ((yh >>> 29) | (yl << 3)) ^ ((yl >>> 6) | (yh << 26));
      let h = add(wh[i - 16], wl[i - 16], s0h, s0l);
      h = add(h, addLo, wh[i - 7], wl[i - 7]);
      wh[i] = add(h, addLo, s1h, s1l);
      wl[i] = addLo;
    }
    let ah = hh[0], al = hl[0], bh = hh[1], bl = hl[1], ch = hh[2], cl = hl[2], dh = hh[3], dl = hl[3];
    let eh = hh[4], el = hl[4], fh = hh[5], fl = hl[5], gh = hh[6], gl = hl[6], h7h = hh[7], h7l = hl[7];
    for (let i = 0; i < 80; i++) {
      // Σ1(e) = rotr14 ^ rotr18 ^ rotr41 ; Σ0(a) = rotr28 ^ rotr34 ^ rotr39
      const S1h = ((eh >>> 14) | (el << 18)) ^ ((eh >>> 18) | (el << 14)) ^ ((el >>> 9) | (eh << 23));
      const S1l = ((el >>> 14) | (eh << 18)) ^ ((el >>> 18) | (eh << 14)) ^ ((eh >>> 9) | (el << 23));
      const chh = (eh & fh) ^ (~eh & gh);
      const chl = (el & fl) ^ (~el & gl);
      let t1h = add(h7h, h7l, S1h, S1l);
      t1h = add(t1h, addLo, chh, chl);
      t1h = add(t1h, addLo, K512_HI[i], K512_LO[i]);
      t1h = add(t1h, addLo, wh[i], wl[i]);
      const t1l = addLo;
      const S0h = ((ah >>> 28) | (al << 4)) ^ ((al >>> 2) | (ah << 30)) ^ ((al >>> 7) | (ah << 25));
      const S0l = ((al >>> 28) | (ah << 4)) ^ ((ah >>> 2) | (al << 30)) ^ ((ah >>> 7) | (al << 25));
      const majh = (ah & bh) ^ (ah & ch) ^ (bh & ch);
      const majl = (al & bl) ^ (al & cl) ^ (bl & cl);
      const t2h = add(S0h, S0l, majh, majl);
      const t2l = addLo;
      h7h = gh; h7l = gl; gh = fh; gl = fl; fh = eh; fl = el;
      eh = add(dh, dl, t1h, t1l); el = addLo;
      dh = ch; dl = cl; ch = bh; cl = bl; bh = ah; bl = al;
      ah = add(t1h, t1l, t2h, t2l); al = addLo;
    }
    const regs = [ah, al, bh, bl, ch, cl, dh, dl, eh, el, fh, fl, gh, gl, h7h, h7l];
    for (let j = 0; j < 8; j++) {
      hh[j] = add(hh[j], hl[j], regs[j * 2], regs[j * 2 + 1]);
      hl[j] = addLo;
    }
  }
  const words = new Int32Array(16);
  for (let j = 0; j < 8; j++) {
    words[j * 2] = hh[j];
    words[j * 2 + 1] = hl[j];
  }
  return wordsToBytes(words);
}

const HASHES: Record<DigestAlgorithm, { fn: (m: Uint8Array) => Uint8Array; block: number }> = {
  sha256: { fn: sha256, block: 64 },
  sha1: { fn: sha1, block: 64 },
  sha512: { fn: sha512, block: 128 },
  md5: { fn: md5, block: 64 },
};

/**
 * @example
 * toHex(digest('sha256', new TextEncoder().encode('abc'))); // 'ba7816bf…'
 */
export function digest(algorithm: DigestAlgorithm, msg: Uint8Array): Uint8Array {
  return HASHES[algorithm].fn(msg);
}

/**
 * HMAC (RFC 2104) with any of the digests above.
 * @example
 * toHex(hmac('sha256', utf8('key'), utf8('The quick brown fox jumps over the lazy dog')));
 */
export function hmac(algorithm: DigestAlgorithm, key: Uint8Array, msg: Uint8Array): Uint8Array {
  const { fn, block } = HASHES[algorithm];
  let k = key.length > block ? fn(key) : key;
  if (k.length < block) {
    const padded = new Uint8Array(block);
    padded.set(k);
    k = padded;
  }
  const inner = new Uint8Array(block + msg.length);
  const outer = new Uint8Array(block);
  for (let i = 0; i < block; i++) {
    inner[i] = k[i] ^ 0x36;
    outer[i] = k[i] ^ 0x5c;
  }
  inner.set(msg, block);
  const ih = fn(inner);
  const o = new Uint8Array(block + ih.length);
  o.set(outer);
  o.set(ih, block);
  return fn(o);
}

export function isDigestAlgorithm(name: unknown): name is DigestAlgorithm {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(HASHES, name);
}
