import { chainFlow } from '../../helpers/runtime';
import { loadOptions } from '../lib/config';
import { cpuMicros, withResources, type ServerChild } from '../lib/child';
import { commitSummary, loadSummary, loadValues, type CommitStats } from '../lib/format';
import { runInterleaved, type LoadTarget } from '../lib/load';
import type { Row, Section } from '../types';

const NAME = 'request-response';
const TARGET = 0.6;

/** A typical small order event (~400 bytes of JSON). */
export const sampleOrder = {
  orderId: 'SO-100234',
  customer: { id: 'C-778', name: 'Muster GmbH', vat: 'DE123456789' },
  currency: 'EUR',
  lines: [
    { sku: 'ITS-4411', qty: 2, price: 129.9 },
    { sku: 'ITS-9001', qty: 1, price: 15.5 },
    { sku: 'ITS-0102', qty: 10, price: 2.35 },
  ],
  shipTo: { street: 'Hauptstr. 1', zip: '76133', city: 'Karlsruhe', country: 'DE' },
  createdAt: '2026-11-22T08:00:00.000Z',
};

/**
 * Webhook (request-response) -> respond (message data as JSON), against node:http reading the body,
 * parsing it and writing it back.
 */
export const requestResponseSection: Section = {
  name: NAME,
  description: 'webhook (requestResponse) -> respond (bodyMode data) vs bare node:http echo',
  run: () =>
    withResources(async (r) => {
      const body = JSON.stringify(sampleOrder);
      const bare = await r.server('bare-server.ts', { mode: 'echo' }, 'rr-bare');
      const targets: LoadTarget[] = [{ name: 'bare', url: `${bare.url}/rr`, body: () => body, expectStatus: 200, serverCpu: () => cpuMicros(bare) }];
      const modes = ['full', 'metadata'] as const;
      const hooklines = new Map<string, ServerChild>();
      for (const diagnostics of modes) {
        const flow = chainFlow({ path: '/rr', responseMode: 'requestResponse' }, [{ type: 'respond', settings: { bodyMode: 'data' } }], {
          id: `bench-rr-${diagnostics}`,
          settings: { diagnostics },
        });
        const hl = await r.server('hookline-server.ts', { dataDir: r.tempDir(), synchronous: 'FULL', flow }, `rr-${diagnostics}`);
        hooklines.set(diagnostics, hl);
        targets.push({ name: diagnostics, url: `${hl.url}/rr`, body: () => body, expectStatus: 200, serverCpu: () => cpuMicros(hl) });
      }
      const results = await runInterleaved(targets, loadOptions());
      const base = results.get('bare')!;
      const rows: Row[] = [{ section: NAME, label: 'bare node:http (parse + stringify)', result: loadSummary(base), values: loadValues(base), note: 'baseline' }];
      for (const diagnostics of modes) {
        const res = results.get(diagnostics)!;
        const ratio = res.rps / base.rps;
        const c = await hooklines.get(diagnostics)!.call<CommitStats>('commits');
        rows.push({
          section: NAME,
          label: `hookline webhook->respond (diagnostics ${diagnostics})`,
          result: `${loadSummary(res)}  (${(res.serverCpuPerReq / base.serverCpuPerReq).toFixed(1)}x bare CPU/req)`,
          values: { ...loadValues(res), ratio: Math.round(ratio * 1000) / 1000, cpuCostVsBare: Math.round((res.serverCpuPerReq / base.serverCpuPerReq) * 100) / 100, commits: c.count, commitMs: Math.round(c.ms) },
          ratio,
          target: `>= ${TARGET}x bare req/s`,
          met: ratio >= TARGET && res.errors === 0,
        });
        rows.push({ section: NAME, label: `  store (diagnostics ${diagnostics})`, result: commitSummary(c, res.okTotal), values: { ...c } });
      }
      return rows;
    }),
};
