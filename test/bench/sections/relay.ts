import { chainFlow } from '../../helpers/runtime';
import { expectSameAnswers } from '../lib/check';
import { cpuMicros, withResources } from '../lib/child';
import { loadOptions } from '../lib/config';
import { ERP_TEMPLATE, itscopeEvent } from '../lib/erp-xml';
import { int, loadSummary, loadValues } from '../lib/format';
import { runInterleaved } from '../lib/load';
import type { Row, Section } from '../types';

const NAME = 'relay';
const TARGET = 0.5;

interface SinkBody {
  contentType?: string;
  body: string;
}

/**
 * Relay: webhook (request-response) -> template (ERP XML) -> Web Integration POST to a partner sink ->
 * respond with the sink's answer, against a node:http relay that builds the same XML by hand and POSTs it
 * over a keep-alive agent. Each relay has its own sink, each in its own process; the XML both sinks received
 * is compared before the load starts.
 */
export const relaySection: Section = {
  name: NAME,
  description: 'webhook -> template XML -> http-request POST to a sink -> respond vs bare node:http relay',
  run: () =>
    withResources(async (r) => {
      const bodies = Array.from({ length: 64 }, (_, i) => JSON.stringify(itscopeEvent(i)));
      const body = (n: number) => bodies[n & 63];
      const bareSink = await r.server('sink-server.ts', {});
      const hlSink = await r.server('sink-server.ts', {});
      const bare = await r.server('bare-server.ts', { mode: 'relay', sinkUrl: `${bareSink.url}/erp` }, 'relay-bare');
      const flow = chainFlow(
        { path: '/relay', responseMode: 'requestResponse' },
        [
          { type: 'template', settings: { kind: 'xml', template: ERP_TEMPLATE } },
          {
            type: 'http-request',
            // The template node already rendered (and escaped) the XML into data; a text body inserts it as is.
            settings: { method: 'POST', url: `${hlSink.url}/erp`, contentType: 'text/plain', body: '{{ data }}', headers: [{ name: 'Content-Type', value: 'application/xml' }], output: 'body' },
          },
          { type: 'respond', settings: { bodyMode: 'data' } },
        ],
        { id: 'bench-relay' },
      );
      const hl = await r.server('hookline-server.ts', { dataDir: r.tempDir(), synchronous: 'FULL', flow }, 'relay-hookline');
      await expectSameAnswers(NAME, { bare: `${bare.url}/relay`, hookline: `${hl.url}/relay` }, body(0));
      const [sentBare, sentHl] = await Promise.all([bareSink.call<SinkBody>('last'), hlSink.call<SinkBody>('last')]);
      if (sentBare.body !== sentHl.body) throw new Error(`relay: the sinks received different XML:\n--- bare\n${sentBare.body}\n--- hookline\n${sentHl.body}`);
      if (!sentHl.contentType?.startsWith('application/xml')) throw new Error(`relay: hookline sent content-type ${sentHl.contentType}, expected application/xml`);

      const results = await runInterleaved(
        [
          { name: 'bare', url: `${bare.url}/relay`, body, expectStatus: 200, serverCpu: () => cpuMicros(bare) },
          { name: 'hookline', url: `${hl.url}/relay`, body, expectStatus: 200, serverCpu: () => cpuMicros(hl) },
        ],
        loadOptions(),
      );
      const base = results.get('bare')!;
      const res = results.get('hookline')!;
      const [bareReceived, hlReceived] = await Promise.all([bareSink.call<number>('received'), hlSink.call<number>('received')]);
      const ratio = res.rps / base.rps;
      const cpuCost = res.serverCpuPerReq / base.serverCpuPerReq;
      return [
        {
          section: NAME,
          label: 'bare node:http relay (XML by hand, keep-alive)',
          result: loadSummary(base),
          values: { ...loadValues(base), sinkReceived: bareReceived },
          note: `baseline (same XML, checked; sink got ${int(bareReceived)})`,
        },
        {
          section: NAME,
          label: 'hookline webhook->template->http-request->respond',
          result: `${loadSummary(res)}  (${cpuCost.toFixed(1)}x bare CPU/req; sink got ${int(hlReceived)})`,
          values: { ...loadValues(res), ratio: Math.round(ratio * 1000) / 1000, cpuCostVsBare: Math.round(cpuCost * 100) / 100, sinkReceived: hlReceived },
          ratio,
          target: `>= ${TARGET}x bare req/s`,
          met: ratio >= TARGET && res.errors === 0,
        },
      ] satisfies Row[];
    }),
};
