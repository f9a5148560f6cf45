import { useEffect, useState } from 'react';
import type { TriggerStats } from '../../core/host/api';
import type { FlowNode } from '../../core/model/flow';
import { useApp, useFlow, useLive, useView, useWorkspace } from '../app-context';
import { Icon } from '../icons';
import { endpointCurl } from './webhook-curl';

function copy(text: string) {
  void navigator.clipboard?.writeText(text).catch(() => {});
}

/**
 * What a halted ordered line means for the designer: the head failed and everything behind it waits (a waiting
 * Request-Response caller gets the timeout) until that message is retried or skipped in Executions.
 */
export function haltedText(lanes: number, requestResponse: boolean): string {
  const what = lanes === 1 ? 'Ordered delivery is halted at a failed message' : `Ordered delivery is halted in ${lanes} partitions, each at a failed message`;
  const waiting = requestResponse ? 'later messages wait (their callers get the timeout answer)' : 'later messages wait in the queue';
  return `${what}: ${waiting} until you retry or skip ${lanes === 1 ? 'it' : 'them'} in Executions.`;
}

/** Full URL of a webhook trigger with copy button and a ready cURL command including the API-key header. */
export function WebhookEndpoint({ node }: { node: FlowNode }) {
  const flow = useFlow();
  const runtime = useWorkspace((s) => s.runtime);
  const deployment = useLive((s) => s.deployments[flow.id]);
  const revealed = useView((s) => s.revealed);
  const s = node.settings as Record<string, any>;
  const endpoint = deployment?.endpoints.find((e) => e.nodeId === node.id);
  const path = typeof s.path === 'string' ? s.path : '/webhook';
  const url = endpoint?.url ?? `${runtime?.baseUrl ?? 'http://127.0.0.1:PORT'}${path}`;
  const methods: string[] = Array.isArray(s.methods) && s.methods.length ? s.methods : ['POST'];
  const curl = endpointCurl({ settings: s, sample: flow.sample, url, revealed });
  const live = !!endpoint;
  const { host, view } = useApp();
  const tick = useLive((x) => x.tick);
  const [stats, setStats] = useState<TriggerStats | null>(null);
  useEffect(() => {
    if (!live) return setStats(null);
    let alive = true;
    host.getTriggerStats(flow.id, node.id).then((st) => alive && setStats(st)).catch(() => {});
    return () => {
      alive = false;
    };
  }, [host, live, flow.id, node.id, tick]);
  return (
    <section className="hl-group hl-endpoint" data-testid="webhook-endpoint">
      <h4>
        Endpoint <span className={`hl-pill ${live ? 'ok' : ''}`} data-testid="endpoint-state">{live ? 'live' : 'not deployed'}</span>
      </h4>
      <div className="hl-url-row">
        <span className="hl-method">{methods.join(' ')}</span>
        <code className="hl-url" data-testid="webhook-url">{url}</code>
        <button className="hl-icon-btn sm" title="Copy URL" data-testid="copy-url" onClick={() => copy(url)}><Icon name="copy" size={13} /></button>
      </div>
      <div className="hl-curl">
        <pre data-testid="webhook-curl">{curl}</pre>
        <button className="hl-btn sm" data-testid="copy-curl" onClick={() => copy(curl)}><Icon name="copy" size={13} /> Copy cURL</button>
      </div>
      {runtime?.requestedPort !== undefined && (
        <div className="hl-field-error" data-testid="endpoint-port-moved">
          Port {runtime.requestedPort} is in use by another program: webhooks are served on port {runtime.port} until the studio restarts. Partners
          configured with port {runtime.requestedPort} do not reach this endpoint meanwhile.
        </div>
      )}
      {!live && <div className="hl-help">Deploy the flow to make this endpoint answer.</div>}
      {stats && (
        <div className="hl-help" data-testid="trigger-stats">
          {stats.running} running · {stats.queueDepth} queued · {stats.rejections} refused by auth
        </div>
      )}
      {stats && stats.blockedLanes > 0 && (
        <div className="hl-field-error" data-testid="trigger-halted">
          {haltedText(stats.blockedLanes, s.responseMode === 'requestResponse')}{' '}
          <button className="hl-btn ghost sm" data-testid="trigger-halted-open" onClick={() => view.getState().showBottom('executions')}>
            Open Executions
          </button>
        </div>
      )}
    </section>
  );
}
