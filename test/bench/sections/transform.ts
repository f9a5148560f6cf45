import { chainFlow } from '../../helpers/runtime';
import { expectSameAnswers } from '../lib/check';
import { cpuMicros, withResources, type ServerChild } from '../lib/child';
import { loadOptions } from '../lib/config';
import { loadSummary, loadValues } from '../lib/format';
import { runInterleaved, type LoadTarget } from '../lib/load';
import { ORDER_MAPPING } from '../lib/mapping';
import type { Row, Section } from '../types';
import { sampleOrder } from './request-response';

const NAME = 'transform';
const TARGET = 0.5;
const MODES = ['full', 'metadata'] as const;

/**
 * Request-response transform: webhook -> map (JSONata, a few fields and a sum over the lines) -> respond,
 * against node:http doing the same mapping by hand. All answers are compared before the load starts.
 * Diagnostics `full` is the default; `metadata` shows what storing the step messages costs.
 */
export const transformSection: Section = {
  name: NAME,
  description: 'webhook -> map (JSONata) -> respond vs bare node:http mapping by hand',
  run: () =>
    withResources(async (r) => {
      const body = JSON.stringify(sampleOrder);
      const servers = new Map<string, ServerChild>();
      servers.set('bare', await r.server('bare-server.ts', { mode: 'map' }, 'transform-bare'));
      for (const d of MODES) {
        const flow = chainFlow(
          { path: '/map', responseMode: 'requestResponse' },
          [{ type: 'map', settings: { expression: ORDER_MAPPING } }, { type: 'respond', settings: { bodyMode: 'data' } }],
          { id: `bench-transform-${d}`, settings: { diagnostics: d } },
        );
        servers.set(d, await r.server('hookline-server.ts', { dataDir: r.tempDir(), synchronous: 'FULL', flow }, `transform-${d}`));
      }
      const names = [...servers.keys()];
      await expectSameAnswers(NAME, Object.fromEntries(names.map((n) => [n, `${servers.get(n)!.url}/map`])), body);
      const targets: LoadTarget[] = names.map((n) => {
        const s = servers.get(n)!;
        return { name: n, url: `${s.url}/map`, body: () => body, expectStatus: 200, serverCpu: () => cpuMicros(s) };
      });
      const results = await runInterleaved(targets, loadOptions());
      const base = results.get('bare')!;
      const rows: Row[] = [{ section: NAME, label: 'bare node:http (mapping by hand)', result: loadSummary(base), values: loadValues(base), note: 'baseline (same answer, checked)' }];
      for (const d of MODES) {
        const res = results.get(d)!;
        const ratio = res.rps / base.rps;
        const cpuCost = res.serverCpuPerReq / base.serverCpuPerReq;
        rows.push({
          section: NAME,
          label: `hookline webhook->map->respond (diagnostics ${d})`,
          result: `${loadSummary(res)}  (${cpuCost.toFixed(1)}x bare CPU/req)`,
          values: { ...loadValues(res), ratio: Math.round(ratio * 1000) / 1000, cpuCostVsBare: Math.round(cpuCost * 100) / 100 },
          ratio,
          target: `>= ${TARGET}x bare req/s`,
          met: ratio >= TARGET && res.errors === 0,
        });
      }
      return rows;
    }),
};
