import { chainFlow } from '../../helpers/runtime';
import { loadOptions } from '../lib/config';
import { cpuMicros, withResources, type ServerChild } from '../lib/child';
import { commitSummary, int, loadSummary, loadValues, type CommitStats } from '../lib/format';
import { runInterleaved, type LoadTarget } from '../lib/load';
import type { Row, Section } from '../types';

const NAME = 'ordered-ingest';
const TARGET = 2000;

const body = (n: number) => `{"seq":${n},"orderId":"SO-${100000 + n}","status":"shipped","carrier":"DHL","tracking":"00340434161094${n}"}`;

interface Verify {
  total: number;
  succeeded: number;
  failed: number;
  unfinished: number;
  drainMs: number;
}

/**
 * Durable ordered ingest: an async webhook with `ordered: true` acknowledges (202) only after the message is
 * committed. Baselines: node:http answering 202 without storing (ceiling) and node:http appending to a file
 * with one fsync per group of messages (what a durable acknowledgement costs without Hookline).
 */
export const orderedIngestSection: Section = {
  name: NAME,
  description: 'webhook (async, ordered) acknowledged messages/s, store verified afterwards',
  run: () =>
    withResources(async (r) => {
      const ack = await r.server('bare-server.ts', { mode: 'ack' }, 'ingest-bare-ack');
      const fsync = await r.server('bare-server.ts', { mode: 'fsync', dataDir: r.tempDir() }, 'ingest-bare-fsync');
      const targets: LoadTarget[] = [
        { name: 'ack', url: `${ack.url}/in`, body, expectStatus: 202, serverCpu: () => cpuMicros(ack) },
        { name: 'fsync', url: `${fsync.url}/in`, body, expectStatus: 202, serverCpu: () => cpuMicros(fsync) },
      ];
      const modes = ['FULL', 'NORMAL'] as const;
      const hooklines = new Map<string, ServerChild>();
      for (const synchronous of modes) {
        // Retention raised so the check below can find every acknowledged message (default keeps 10,000).
        const flow = chainFlow({ path: '/in', responseMode: 'async', ordered: true }, [], {
          id: `bench-ingest-${synchronous.toLowerCase()}`,
          settings: { diagnostics: 'full', retention: { maxCount: 10_000_000, maxAgeDays: 30 } },
        });
        const hl = await r.server('hookline-server.ts', { dataDir: r.tempDir(), synchronous, flow }, `ingest-${synchronous.toLowerCase()}`);
        hooklines.set(synchronous, hl);
        // The ordered line runs after the acknowledgement; let it catch up so its work stays in its own slice.
        targets.push({
          name: synchronous,
          url: `${hl.url}/in`,
          body,
          expectStatus: 202,
          settle: () => hl.call('drain', { maxWaitMs: 10_000 }, 20_000),
          serverCpu: () => cpuMicros(hl),
        });
      }
      const results = await runInterleaved(targets, loadOptions());
      const ceiling = results.get('ack')!;
      const grouped = results.get('fsync')!;
      const st = await fsync.call<{ appended: number; groups: number }>('stats');
      const rows: Row[] = [
        { section: NAME, label: 'bare node:http 202, nothing stored', result: loadSummary(ceiling, 'msg/s'), values: loadValues(ceiling), note: 'ceiling' },
        {
          section: NAME,
          label: 'bare node:http append + fsync per group',
          result: `${loadSummary(grouped, 'msg/s')}  (${(st.appended / Math.max(1, st.groups)).toFixed(1)} msg/group)`,
          values: { ...loadValues(grouped), appended: st.appended, groups: st.groups },
          note: 'baseline',
        },
      ];
      for (const synchronous of modes) {
        const res = results.get(synchronous)!;
        const hl = hooklines.get(synchronous)!;
        const c = await hl.call<CommitStats>('commits');
        const v = await hl.call<Verify>('verify', { maxWaitMs: 60_000 }, 90_000);
        const ratio = res.rps / grouped.rps;
        rows.push({
          section: NAME,
          label: `hookline ordered webhook, synchronous ${synchronous}`,
          result: `${loadSummary(res, 'msg/s')}  (${(res.serverCpuPerReq / grouped.serverCpuPerReq).toFixed(1)}x the fsync baseline's CPU/msg)`,
          values: { ...loadValues(res), cpuCostVsFsync: Math.round((res.serverCpuPerReq / grouped.serverCpuPerReq) * 100) / 100, ratioToFsync: Math.round(ratio * 1000) / 1000, ratioToCeiling: Math.round((res.rps / ceiling.rps) * 1000) / 1000 },
          ratio,
          target: `>= ${int(TARGET)} msg/s`,
          met: res.rps >= TARGET && res.errors === 0,
          note: synchronous === 'FULL' ? 'runtime default; ratio vs fsync baseline' : 'ratio vs fsync baseline',
        });
        rows.push({ section: NAME, label: `  store (${synchronous})`, result: commitSummary(c, res.okTotal, 'msg'), values: { ...c } });
        const complete = v.total === res.okTotal && v.unfinished === 0 && v.failed === 0 && v.succeeded === v.total;
        rows.push({
          section: NAME,
          label: `  store check (${synchronous})`,
          result: `${int(res.okTotal)} acknowledged, ${int(v.total)} in store, ${int(v.succeeded)} succeeded, ${int(v.failed)} failed, ${int(v.unfinished)} unfinished; drained in ${int(v.drainMs)} ms`,
          values: { acknowledged: res.okTotal, ...v },
          target: 'every ack stored + finished',
          met: complete,
        });
      }
      return rows;
    }),
};
