import { chainFlow } from '../../helpers/runtime';
import { expectSameAnswers } from '../lib/check';
import { cpuMicros, withResources, type ServerChild } from '../lib/child';
import { loadOptions } from '../lib/config';
import { ERP_TEMPLATE, itscopeEvent } from '../lib/erp-xml';
import { commitSummary, int, loadSummary, loadValues, type CommitStats } from '../lib/format';
import { runInterleaved, type LoadTarget } from '../lib/load';
import type { Row, Section } from '../types';

const NAME = 'relay';
const TARGET = 0.5;
const MODES = ['full', 'metadata'] as const;
/** BENCH_RELAY_MAIN=1 adds full diagnostics with outbound requests on the main thread (HOOKLINE_OUTBOUND_THREAD=0), for comparison. */
const CASES: Array<{ name: string; diagnostics: (typeof MODES)[number]; outboundThread: boolean }> = [
  ...MODES.map((d) => ({ name: d, diagnostics: d, outboundThread: true })),
  ...(process.env.BENCH_RELAY_MAIN ? [{ name: 'full-main', diagnostics: 'full' as const, outboundThread: false }] : []),
];

interface SinkBody {
  contentType?: string;
  body: string;
}

function relayFlow(sinkUrl: string, diagnostics: (typeof MODES)[number]) {
  return chainFlow(
    { path: '/relay', responseMode: 'requestResponse' },
    [
      { type: 'template', settings: { kind: 'xml', template: ERP_TEMPLATE } },
      {
        type: 'http-request',
        // The template node already rendered (and escaped) the XML into data; an XML body that is one token inserts it as is.
        settings: { method: 'POST', url: sinkUrl, contentType: 'application/xml', body: '{{ data }}', output: 'body' },
      },
      { type: 'respond', settings: { bodyMode: 'data' } },
    ],
    { id: `bench-relay-${diagnostics}`, settings: { diagnostics } },
  );
}

/**
 * Relay: webhook (request-response) -> template (ERP XML) -> Web Integration POST to a partner sink ->
 * respond with the sink's answer, against a node:http relay that builds the same XML by hand and POSTs it
 * over a keep-alive agent. Each relay has its own sink, each in its own process; the XML the sinks received
 * is compared before the load starts. Diagnostics `full` is the default; `metadata` shows what storing the
 * step messages costs.
 */
export const relaySection: Section = {
  name: NAME,
  description: 'webhook -> template XML -> http-request POST to a sink -> respond vs bare node:http relay',
  run: () =>
    withResources(async (r) => {
      const bodies = Array.from({ length: 64 }, (_, i) => JSON.stringify(itscopeEvent(i)));
      const body = (n: number) => bodies[n & 63];
      const sinks = new Map<string, ServerChild>();
      const relays = new Map<string, ServerChild>();
      sinks.set('bare', await r.server('sink-server.ts', {}));
      relays.set('bare', await r.server('bare-server.ts', { mode: 'relay', sinkUrl: `${sinks.get('bare')!.url}/erp` }, 'relay-bare'));
      for (const c of CASES) {
        const sink = await r.server('sink-server.ts', {});
        sinks.set(c.name, sink);
        relays.set(c.name, await r.server('hookline-server.ts', { dataDir: r.tempDir(), synchronous: 'FULL', flow: relayFlow(`${sink.url}/erp`, c.diagnostics), outboundThread: c.outboundThread }, `relay-${c.name}`));
      }
      const names = [...relays.keys()];
      await expectSameAnswers(NAME, Object.fromEntries(names.map((n) => [n, `${relays.get(n)!.url}/relay`])), body(0));
      const sent = await Promise.all(names.map((n) => sinks.get(n)!.call<SinkBody>('last')));
      sent.forEach((s, i) => {
        if (s.body !== sent[0].body) throw new Error(`relay: the sinks received different XML:\n--- bare\n${sent[0].body}\n--- ${names[i]}\n${s.body}`);
        if (!s.contentType?.startsWith('application/xml')) throw new Error(`relay: ${names[i]} sent content-type ${s.contentType}, expected application/xml`);
      });

      const targets: LoadTarget[] = names.map((n) => {
        const s = relays.get(n)!;
        return { name: n, url: `${s.url}/relay`, body, expectStatus: 200, serverCpu: () => cpuMicros(s) };
      });
      const results = await runInterleaved(targets, loadOptions());
      const sinkStats = async (n: string) => {
        const [received, connections] = await Promise.all([sinks.get(n)!.call<number>('received'), sinks.get(n)!.call<number>('connections')]);
        return { received, connections, text: `sink: ${int(received)} requests over ${int(connections)} connections` };
      };
      const base = results.get('bare')!;
      const bs = await sinkStats('bare');
      const rows: Row[] = [
        {
          section: NAME,
          label: 'bare node:http relay (XML by hand, keep-alive)',
          result: `${loadSummary(base)}  (${bs.text})`,
          values: { ...loadValues(base), sinkReceived: bs.received, sinkConnections: bs.connections },
          note: 'baseline (same XML, checked)',
        },
      ];
      for (const { name: d } of CASES) {
        const res = results.get(d)!;
        const ss = await sinkStats(d);
        const ratio = res.rps / base.rps;
        const cpuCost = res.serverCpuPerReq / base.serverCpuPerReq;
        rows.push({
          section: NAME,
          label: `hookline webhook->template->http-request->respond (diagnostics ${d})`,
          result: `${loadSummary(res)}  (${cpuCost.toFixed(1)}x bare CPU/req; ${ss.text})`,
          values: { ...loadValues(res), ratio: Math.round(ratio * 1000) / 1000, cpuCostVsBare: Math.round(cpuCost * 100) / 100, sinkReceived: ss.received, sinkConnections: ss.connections },
          ratio,
          target: `>= ${TARGET}x bare req/s`,
          met: ratio >= TARGET && res.errors === 0,
        });
        const c = await relays.get(d)!.call<CommitStats>('commits');
        rows.push({ section: NAME, label: `  store (diagnostics ${d})`, result: commitSummary(c, res.okTotal), values: { ...c } });
      }
      return rows;
    }),
};
