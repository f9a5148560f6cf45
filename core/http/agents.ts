import http from 'node:http';
import https from 'node:https';
import { createHash } from 'node:crypto';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { destroyThreadAgents } from './hop-thread';

/**
 * Keep-alive agents, one pool per connection + TLS material + proxy, so partners that share a
 * connection reuse sockets and partners with different client certificates never share one.
 */

/** TLS material handed to Node per request (https.Agent pools by these too). */
export interface TlsMaterial {
  ca?: string[];
  cert?: string;
  key?: string;
  passphrase?: string;
  rejectUnauthorized: boolean;
}

type Env = Record<string, string | undefined>;

/**
 * The proxy for a URL: the connection's own, else HTTPS_PROXY / HTTP_PROXY unless NO_PROXY matches.
 * Loopback targets never go through an environment proxy (as in Go's net/http): a corporate proxy
 * cannot reach this machine's 127.0.0.1.
 *
 * @example
 * proxyForUrl(new URL('https://api.example.com'), undefined, { HTTPS_PROXY: 'http://proxy:3128' }) // 'http://proxy:3128'
 */
export function proxyForUrl(url: URL, connectionProxy: string | undefined, env: Env = process.env): string | undefined {
  if (connectionProxy) return connectionProxy;
  const e = proxyEnv(env);
  const proxy = url.protocol === 'https:' ? e.https : e.http;
  if (!proxy) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1' || /^127\./.test(host)) return undefined;
  if (matchesNoProxy(host, url.port || (url.protocol === 'https:' ? '443' : '80'), e.noProxy)) return undefined;
  return /^[a-z]+:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

interface ProxyEnv {
  http?: string;
  https?: string;
  noProxy: string;
}

/** process.env's proxy settings, read again at most once a second (each read of process.env is a call into C++). */
let processProxyEnv: { at: number; value: ProxyEnv } | undefined;
const PROCESS_ENV_TTL_MS = 1000;

function proxyEnv(env: Env): ProxyEnv {
  if (env !== process.env) return readProxyEnv(env);
  const now = Date.now();
  if (!processProxyEnv || now - processProxyEnv.at >= PROCESS_ENV_TTL_MS) processProxyEnv = { at: now, value: readProxyEnv(env) };
  return processProxyEnv.value;
}

function readProxyEnv(env: Env): ProxyEnv {
  const pick = (...names: string[]) => names.map((n) => env[n]).find((v) => v && v.trim());
  return {
    http: pick('HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'),
    https: pick('HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'all_proxy'),
    noProxy: pick('NO_PROXY', 'no_proxy') ?? '',
  };
}

function matchesNoProxy(host: string, port: string, noProxy: string): boolean {
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => {
      if (entry === '*') return true;
      const [rawHost, p] = entry.toLowerCase().split(/:(?=\d+$)/);
      if (p && p !== port) return false;
      const h = rawHost.replace(/^\*?\./, '.');
      return h.startsWith('.') ? host.endsWith(h) || host === h.slice(1) : host === h || host.endsWith(`.${h}`);
    });
}

const agents = new Map<string, http.Agent>();

/** What an agent is made from: its pool (a connection), TLS material and proxy; the URL's scheme picks http or https. */
export interface AgentSpec {
  poolId: string;
  tls?: TlsMaterial;
  proxyUrl?: string;
}

/** The pool an agent is kept under: one per connection, scheme, TLS material and proxy. */
export function agentKey(url: URL, o: AgentSpec): string {
  return `${o.poolId}|${url.protocol === 'https:' ? 'https' : 'http'}|${tlsKey(o.tls)}|${o.proxyUrl ?? ''}`;
}

const tlsKeys = new WeakMap<TlsMaterial, string>();

/** Identifies TLS material without keeping secrets in a map key (hashed once per material object). */
export function tlsKey(tls: TlsMaterial | undefined): string {
  if (!tls) return 'default';
  let key = tlsKeys.get(tls);
  if (key === undefined) {
    key = createHash('sha256').update(JSON.stringify(tls)).digest('hex').slice(0, 16);
    tlsKeys.set(tls, key);
  }
  return key;
}

/**
 * The pooled agent for a request.
 *
 * @example
 * const agent = agentFor({ url: new URL('https://x'), poolId: 'partner-a', tls, proxyUrl: undefined });
 */
export function agentFor(o: AgentSpec & { url: URL }): http.Agent {
  const secure = o.url.protocol === 'https:';
  const key = agentKey(o.url, o);
  let agent = agents.get(key);
  if (!agent) {
    // As many idle sockets kept as may be open: with fewer, the sockets of a burst beyond that number were closed
    // when it ended and the next burst connected again (relay at 32 parallel executions: ~2x CPU per request).
    const base = { keepAlive: true, keepAliveMsecs: 1000, maxSockets: 64, maxFreeSockets: 64, scheduling: 'lifo' as const };
    // Node merges agent options into every connection's options, so TLS material lives on the agent;
    // for a CONNECT tunnel agent-base applies them to the target TLS session, not to the proxy hop.
    const withTls = secure && o.tls ? { ...base, ...o.tls } : base;
    if (o.proxyUrl && secure) {
      const tunnel = new HttpsProxyAgent(o.proxyUrl, base);
      // HttpsProxyAgent resets `options`; Node merges them into each request, and the tunnel's TLS
      // upgrade reads them from there, so this is how the target (not the proxy) gets our TLS material.
      (tunnel as unknown as { options: object }).options = { path: undefined, ...(o.tls ?? {}) };
      agent = tunnel;
    } else if (o.proxyUrl) agent = new HttpProxyAgent(o.proxyUrl, base);
    else agent = secure ? new https.Agent(withTls) : new http.Agent(base);
    agents.set(key, agent);
  }
  return agent;
}

/**
 * Closes every pooled socket (tests, runtime shutdown, or after a connection is edited), on this thread and on the
 * outbound thread; the promise resolves once the outbound thread's are closed too.
 */
export function destroyAgents(poolId?: string): Promise<void> {
  for (const [key, agent] of agents) {
    if (poolId === undefined || key.startsWith(`${poolId}|`)) {
      agent.destroy();
      agents.delete(key);
    }
  }
  return destroyThreadAgents(poolId);
}
