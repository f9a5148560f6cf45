import { chainFlow } from '../../helpers/runtime';
import { expectSameAnswers } from '../lib/check';
import { cpuMicros, withResources } from '../lib/child';
import { loadOptions } from '../lib/config';
import { loadSummary, loadValues } from '../lib/format';
import { runInterleaved } from '../lib/load';
import { ORDER_MAPPING } from '../lib/mapping';
import type { Row, Section } from '../types';
import { sampleOrder } from './request-response';

const NAME = 'transform';
const TARGET = 0.5;

/**
 * Request-response transform: webhook -> map (JSONata, a few fields and a sum over the lines) -> respond,
 * against node:http doing the same mapping by hand. Both answers are compared before the load starts.
 */
export const transformSection: Section = {
  name: NAME,
  description: 'webhook -> map (JSONata) -> respond vs bare node:http mapping by hand',
  run: () =>
    withResources(async (r) => {
      const body = JSON.stringify(sampleOrder);
      const bare = await r.server('bare-server.ts', { mode: 'map' }, 'transform-bare');
      const flow = chainFlow(
        { path: '/map', responseMode: 'requestResponse' },
        [{ type: 'map', settings: { expression: ORDER_MAPPING } }, { type: 'respond', settings: { bodyMode: 'data' } }],
        { id: 'bench-transform' },
      );
      const hl = await r.server('hookline-server.ts', { dataDir: r.tempDir(), synchronous: 'FULL', flow }, 'transform-hookline');
      await expectSameAnswers(NAME, { bare: `${bare.url}/map`, hookline: `${hl.url}/map` }, body);
      const results = await runInterleaved(
        [
          { name: 'bare', url: `${bare.url}/map`, body: () => body, expectStatus: 200, serverCpu: () => cpuMicros(bare) },
          { name: 'hookline', url: `${hl.url}/map`, body: () => body, expectStatus: 200, serverCpu: () => cpuMicros(hl) },
        ],
        loadOptions(),
      );
      const base = results.get('bare')!;
      const res = results.get('hookline')!;
      const ratio = res.rps / base.rps;
      const cpuCost = res.serverCpuPerReq / base.serverCpuPerReq;
      return [
        { section: NAME, label: 'bare node:http (mapping by hand)', result: loadSummary(base), values: loadValues(base), note: 'baseline (same answer, checked)' },
        {
          section: NAME,
          label: 'hookline webhook->map->respond',
          result: `${loadSummary(res)}  (${cpuCost.toFixed(1)}x bare CPU/req)`,
          values: { ...loadValues(res), ratio: Math.round(ratio * 1000) / 1000, cpuCostVsBare: Math.round(cpuCost * 100) / 100 },
          ratio,
          target: `>= ${TARGET}x bare req/s`,
          met: ratio >= TARGET && res.errors === 0,
        },
      ] satisfies Row[];
    }),
};
