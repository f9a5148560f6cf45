import { describe, expect, it } from 'vitest';
import { timingPhases } from '../../renderer/connections/timing-phases';

describe('timingPhases', () => {
  it("turns moments since the start into each phase's own duration, as Postman shows them", () => {
    // What QA saw as "connect 59 ms, TLS 65 ms, first byte 70 ms": TLS took 6 ms, the server 5 ms.
    expect(timingPhases({ dnsMs: 2, connectMs: 59, tlsMs: 65, firstByteMs: 70, totalMs: 72.5, reusedSocket: false })).toEqual([
      { label: 'DNS', ms: 2, at: 2 },
      { label: 'connect', ms: 57, at: 59 },
      { label: 'TLS', ms: 6, at: 65 },
      { label: 'waiting', ms: 5, at: 70 },
      { label: 'download', ms: 2.5, at: 72.5 },
      { label: 'total', ms: 72.5 },
    ]);
  });

  it('leaves out phases that did not happen: a reused socket has only waiting, download and total', () => {
    expect(timingPhases({ firstByteMs: 4, totalMs: 5, reusedSocket: true }).map((p) => `${p.label} ${p.ms}`)).toEqual(['waiting 4', 'download 1', 'total 5']);
    // A failure before any answer: the phases that happened, then the total.
    expect(timingPhases({ connectMs: 3, totalMs: 30000, reusedSocket: false }).map((p) => p.label)).toEqual(['connect', 'total']);
  });
});
