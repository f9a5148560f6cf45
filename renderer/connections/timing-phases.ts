import type { HttpTimings } from '../../core/host/api';

/**
 * The phases of one HTTP exchange as Postman shows them (each its own duration), from the host's timings, which
 * are moments since the request started (connect 59 ms, TLS 65 ms, first byte 70 ms): DNS, TCP connect, TLS
 * handshake, waiting for the first byte, download, and the total. A phase that did not happen (a reused socket,
 * plain HTTP) is left out; `at` keeps the moment for the tooltip.
 */
export function timingPhases(t: HttpTimings): Array<{ label: string; ms: number; at?: number }> {
  const out: Array<{ label: string; ms: number; at?: number }> = [];
  let prev = 0;
  const phase = (label: string, at: number | undefined) => {
    if (at === undefined) return;
    out.push({ label, ms: Math.max(0, round(at - prev)), at });
    prev = at;
  };
  phase('DNS', t.dnsMs);
  phase('connect', t.connectMs);
  phase('TLS', t.tlsMs);
  phase('waiting', t.firstByteMs);
  if (t.firstByteMs !== undefined) phase('download', t.totalMs);
  out.push({ label: 'total', ms: t.totalMs });
  return out;
}

const round = (n: number) => Math.round(n * 100) / 100;
