import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bundleProblems, buildBundle } from '../../core/bundle/bundle';
import { checkBundle, checkFlow } from '../../core/bundle/check';
import { checkConnection } from '../../core/bundle/connections';
import { connectionSchema } from '../../core/model/connection';
import { flowSchema } from '../../core/model/flow';
import { formatProblem, type Problem } from '../../core/model/problems';
import { closest, editDistance, unknownKeys } from '../../core/model/unknown-keys';
import { validateFlow } from '../../core/model/validate';
import { nodeSpecs } from '../../core/nodes/catalogue';
import type { FieldSpec } from '../../core/nodes/spec-types';

const ROOT = path.resolve(__dirname, '../..');
const flow = (nodes: any[], extra: Record<string, unknown> = {}) => ({
  formatVersion: 1,
  id: 'typo',
  name: 'Typo',
  nodes,
  edges: nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i].id, target: n.id })),
  ...extra,
});
const unknownOf = (problems: Problem[]) => problems.filter((p) => p.code === 'unknown_setting');
const lines = (problems: Problem[]) => unknownOf(problems).map(formatProblem);

describe('unknown settings are warnings naming the key (QA cases)', () => {
  const qa = flow([
    { id: 'hook', type: 'webhook', settings: { path: '/t', timeoutMS: 100, maxConcurency: 2, orderd: true } },
    { id: 'log', type: 'log', settings: { levle: 'warn' } },
    { id: 'call', type: 'http-request', settings: { url: 'https://erp.example/x', retry: { retryCont: 3 } } },
  ]);

  it('webhook, log and Web Integration typos: each a warning with its path and a suggestion', () => {
    const r = validateFlow(qa);
    expect(lines(r.problems)).toEqual([
      'nodes[0].settings.timeoutMS: unknown setting; did you mean "timeoutMs"?',
      'nodes[0].settings.maxConcurency: unknown setting; did you mean "maxConcurrency"?',
      'nodes[0].settings.orderd: unknown setting; did you mean "ordered"?',
      'nodes[1].settings.levle: unknown setting; did you mean "level"?',
      'nodes[2].settings.retry.retryCont: unknown setting; did you mean "retryCount"?',
    ]);
    expect(unknownOf(r.problems).map((p) => [p.severity, p.nodeId])).toEqual([
      ['warning', 'hook'],
      ['warning', 'hook'],
      ['warning', 'hook'],
      ['warning', 'log'],
      ['warning', 'call'],
    ]);
  });

  it('does not block: no errors, the flow loads and the keys are ignored (a newer file still loads)', async () => {
    const r = validateFlow(qa);
    expect(r.problems.filter((p) => p.severity !== 'warning')).toEqual([]);
    expect(r.flow).toBeDefined();
    expect(r.settings.hook).toMatchObject({ timeoutMs: 30_000, maxConcurrency: 16, ordered: false });
    expect(r.settings.call).toMatchObject({ retry: { retryCount: 0 } });
    // The deploy-step check (what `validate` and the studio's problems list run) carries them too.
    expect(unknownOf(await checkFlow(qa))).toHaveLength(5);
  });

  it('a key far from every known one gets no suggestion', () => {
    const r = validateFlow(flow([{ id: 'log', type: 'log', settings: { colour: 'red' } }]));
    expect(lines(r.problems)).toEqual(['nodes[0].settings.colour: unknown setting']);
  });
});

describe('nested objects, list items, flow settings', () => {
  it('walks list items, the inline connection and the flow settings', () => {
    const r = validateFlow(
      flow(
        [
          { id: 'hook', type: 'webhook', settings: { queryParams: [{ name: 'q', requird: true }] } },
          { id: 'call', type: 'http-request', settings: { url: 'https://x.example', headers: [{ name: 'A', valu: 'b' }], connection: { baseURL: 'https://y.example', tls: { rejectUnauthorised: false } } } },
        ],
        { settings: { alowCycles: true, retention: { maxcount: 5 } } },
      ),
    );
    expect(lines(r.problems)).toEqual([
      'settings.alowCycles: unknown setting; did you mean "allowCycles"?',
      'settings.retention.maxcount: unknown setting; did you mean "maxCount"?',
      'nodes[0].settings.queryParams[0].requird: unknown setting; did you mean "required"?',
      'nodes[1].settings.headers[0].valu: unknown setting; did you mean "value"?',
      'nodes[1].settings.connection.baseURL: unknown setting; did you mean "baseUrl"?',
      'nodes[1].settings.connection.tls.rejectUnauthorised: unknown setting; did you mean "rejectUnauthorized"?',
    ]);
  });

  it('records and unions that take any object accept any key', () => {
    const r = validateFlow(
      flow([
        { id: 'hook', type: 'webhook', settings: { bodySchema: { type: 'object', whatever: 1 } } },
        { id: 'v', type: 'validate', settings: { schema: { type: 'object', properties: { a: { typ: 'string' } } } } },
      ]),
    );
    expect(unknownOf(r.problems)).toEqual([]);
  });
});

describe('discriminated unions follow their discriminator', () => {
  it('a connection auth typo is named with the key of its type', () => {
    const conn = { id: 'erp', name: 'ERP', auth: { type: 'bearer', tokenSecrt: 'ERP_TOKEN' } };
    expect(unknownKeys(connectionSchema, conn)).toEqual([{ path: ['auth', 'tokenSecrt'], key: 'tokenSecrt', suggestion: 'tokenSecret' }]);
    const basic = { id: 'erp', name: 'ERP', auth: { type: 'basic', username: 'u', passwordSecret: 'PW', usrname: 'x' } };
    expect(unknownKeys(connectionSchema, basic)).toEqual([{ path: ['auth', 'usrname'], key: 'usrname', suggestion: 'username' }]);
    const cert = { id: 'c', name: 'C', tls: { clientCert: { kind: 'pem', certSecret: 'C', keySecret: 'K', pfxSecrte: 'P' } } };
    expect(unknownKeys(connectionSchema, cert).map((u) => u.path.join('.'))).toEqual(['tls.clientCert.pfxSecrte']);
  });

  it('a saved connection: the typo is a warning with a suggestion, and is left out', () => {
    const { connection, problems } = checkConnection({ id: 'erp', name: 'ERP', baseURL: 'https://erp.example' }, 'connections[0]');
    expect(connection && 'baseURL' in connection).toBe(false);
    expect(problems.map((p) => [p.severity, p.code, formatProblem(p)])).toEqual([['warning', 'unknown_setting', 'connections[0].baseURL: unknown setting, left out; did you mean "baseUrl"?']]);
  });

  it("keys of the union's other variants, left by the studio when the type is switched, are not warned about in node settings", () => {
    const settings = { auth: { type: 'basic', username: 'u', passwordSecret: 'PW', keys: [{ id: 'k', label: 'L', secret: 'K' }], allowBearer: true } };
    expect(unknownOf(validateFlow(flow([{ id: 'hook', type: 'webhook', settings }])).problems)).toEqual([]);
  });

  it('an unknown discriminator is the schema error alone', () => {
    const r = validateFlow(flow([{ id: 'hook', type: 'webhook', settings: { auth: { type: 'magic', foo: 1 } } }]));
    expect(unknownOf(r.problems)).toEqual([]);
    expect(r.problems.some((p) => p.path === 'nodes[0].settings.auth.type')).toBe(true);
  });
});

describe('suggestions', () => {
  it('prefers the same key in another case, then the nearest within two edits', () => {
    expect(closest('timeoutMS', ['timeoutMs', 'timeoutMessage'])).toBe('timeoutMs');
    expect(closest('BASEURL', ['baseUrl'])).toBe('baseUrl');
    expect(closest('levle', ['level', 'message'])).toBe('level');
    expect(closest('retryCont', ['retryCount', 'retryIntervalMs'])).toBe('retryCount');
    expect(closest('methds', ['methods', 'path'])).toBe('methods');
    expect(closest('colour', ['level', 'message', 'value'])).toBeUndefined();
    // Short keys: one edit at most, or everything would be "close".
    expect(closest('ab', ['in'])).toBeUndefined();
    expect(closest('im', ['in'])).toBe('in');
    // Another tool's name with a prefix or suffix more: the longest known key inside it.
    expect(closest('typeVersion', ['id', 'type', 'version', 'settings'])).toBe('version');
    expect(closest('nodeSettings', ['id', 'type', 'settings'])).toBe('settings');
  });

  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('levle', 'level')).toBe(1);
    expect(editDistance('orderd', 'ordered')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

/** Sets a dotted path, making objects on the way. */
function setPath(obj: Record<string, any>, key: string, value: unknown) {
  const parts = key.split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) cur = cur[p] && typeof cur[p] === 'object' ? cur[p] : (cur[p] = {});
  cur[parts[parts.length - 1]] = value;
}

describe('nothing the studio or the examples write is warned about', () => {
  it.each(fs.readdirSync(path.join(ROOT, 'examples/flows')))('examples/flows/%s', async (name) => {
    const raw = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples/flows', name), 'utf8'));
    expect(unknownOf(await checkFlow(raw))).toEqual([]);
  });

  it.each(fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.bundle.json')))('examples/%s', async (name) => {
    const raw = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', name), 'utf8'));
    expect(unknownOf(await checkBundle(raw))).toEqual([]);
    for (const f of raw.flows) expect(unknownOf(validateFlow(f).problems)).toEqual([]);
    for (const c of raw.connections) expect(unknownKeys(connectionSchema, c)).toEqual([]);
  });

  it.each(nodeSpecs.map((s) => [s.type, s] as const))('%s: its example, its defaults and every inspector field', (_type, spec) => {
    if (spec.example) expect(unknownKeys(spec.settings, spec.example)).toEqual([]);
    const defaults = spec.settings.safeParse({});
    if (defaults.success) expect(unknownKeys(spec.settings, defaults.data)).toEqual([]);
    // Each field the inspector writes, with the values that make it visible (the discriminator of its variant).
    const sample = (f: FieldSpec) => (f.itemFields ? [Object.fromEntries(f.itemFields.map((i) => [i.key, 'x']))] : f.options?.[0]?.value ?? 'x');
    for (const field of spec.fields) {
      const values: Record<string, any> = {};
      for (const [p, allowed] of Object.entries(field.visibleWhen ?? {})) setPath(values, p, allowed[0]);
      setPath(values, field.key, sample(field));
      expect(unknownKeys(spec.settings, values), `${spec.type} field ${field.key}`).toEqual([]);
    }
  });

  it('a flow as the schema writes it (defaults filled in) has no unknown key', () => {
    const parsed = flowSchema.parse(flow([{ id: 'hook', type: 'webhook' }, { id: 'n', type: 'note', settings: { text: 'hi', width: 300, height: 200 } }]));
    expect(unknownOf(validateFlow(parsed).problems)).toEqual([]);
  });
});

describe('bundles', () => {
  it("a bundle's flow with a typo is warned about at its path in the bundle; the bundle stays valid", () => {
    const f = flowSchema.parse(flow([{ id: 'hook', type: 'webhook', settings: { orderd: true } }]));
    const b = JSON.parse(JSON.stringify(buildBundle({ name: 'x', flows: [f] })));
    const { problems } = bundleProblems(b);
    expect(problems.filter((p) => p.severity !== 'warning')).toEqual([]);
    expect(lines(problems)).toEqual(['flows[0].nodes[0].settings.orderd: unknown setting; did you mean "ordered"?']);
  });

  it('walks any zod object shape: optional, default, nullable and pipes are looked through', () => {
    const s = z.object({ a: z.object({ b: z.number() }).optional().nullable(), c: z.array(z.object({ d: z.string() })).default([]), e: z.string().transform((x) => x.length) });
    expect(unknownKeys(s, { a: { b: 1, bb: 2 }, c: [{ d: 'x', D: 'y' }], e: 'x', ee: 1 }).map((u) => [u.path.join('.'), u.suggestion])).toEqual([
      ['a.bb', 'b'],
      ['c.0.D', 'd'],
      ['ee', 'e'],
    ]);
    expect(unknownKeys(z.looseObject({ a: z.string() }), { b: 1 })).toEqual([]);
  });
});
