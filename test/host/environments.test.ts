import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { studioEnv } from '../../core/host/environment-ops';
import { secretEnvNames, secretEnvValues } from '../../core/model/secret-env';
import { envSecretName } from '../../core/host/environment-secrets';
import { EXAMPLE_FLOWS_DIR, onRuntime, startHostedRuntime, type HostedRuntime } from '../../core/host/studio';
import { StartupError } from '../../core/runtime/data-dir-lock';
import { ProblemsError } from '../../core/model/problems';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { destroyAgents } from '../../core/http/agents';
import { chainFlow, send, tempDir } from '../helpers/runtime';
import { json, startHttp, type TestServer } from '../http/servers';

/**
 * Environments in the studio (Postman's): the active one's variables are what deployed flows read as `$env`,
 * in node settings and in a connection's `{{ $env.NAME }}` base URL, and a switch takes effect at once.
 */
let partnerA: TestServer;
let partnerB: TestServer;
let h: HostedRuntime;
let secrets: MemorySecretStore;
let dataDir: string;

/** The Authorization header each partner received, in order. */
const received: string[] = [];
beforeAll(async () => {
  partnerA = await startHttp((req, res) => (received.push(`A ${req.headers.authorization}`), json(res, 200, { partner: 'A' })));
  partnerB = await startHttp((req, res) => (received.push(`B ${req.headers.authorization}`), json(res, 200, { partner: 'B' })));
});
afterAll(async () => {
  await partnerA.close();
  await partnerB.close();
  destroyAgents();
});

async function start(processEnv: Record<string, string> = {}) {
  h = await startHostedRuntime({ dataDir, secrets, port: 0, env: processEnv });
  await h.api.saveConnection({ id: 'partner', name: 'Partner', baseUrl: '{{ $env.PARTNER_URL }}', auth: { type: 'bearer', tokenSecret: 'PARTNER_TOKEN' } });
  await h.api.saveFlow(
    chainFlow({ path: '/greet', responseMode: 'requestResponse' }, [{ type: 'respond', settings: { bodyMode: 'template', templateKind: 'text', template: '{{ $env.GREETING }}', contentType: 'text/plain' } }], { id: 'greet' }),
  );
  await h.api.saveFlow(
    chainFlow({ path: '/call', responseMode: 'requestResponse' }, [{ type: 'http-request', settings: { method: 'GET', url: '/ping', connectionId: 'partner', output: 'body' } }, { type: 'respond', settings: { bodyMode: 'data' } }], { id: 'call' }),
  );
}

beforeEach(() => {
  secrets = new MemorySecretStore();
  dataDir = tempDir();
});
afterEach(() => h?.close());

const greet = async () => (await send(`${h.runtime.baseUrl}/greet`, { body: '{}', headers: { 'content-type': 'application/json' } })).text;
const call = async () => (await send(`${h.runtime.baseUrl}/call`, { body: '{}', headers: { 'content-type': 'application/json' } })).json;

async function problemsOf(p: Promise<unknown>) {
  const e = await p.then(
    () => undefined,
    (x) => x,
  );
  expect(e).toBeInstanceOf(ProblemsError);
  return (e as ProblemsError).problems.map((x) => `${x.path}: ${x.message}`);
}

describe('studio environments', () => {
  it('the active environment is what deployed flows read, in settings and in a connection, and a switch redeploys them', async () => {
    await start({ GREETING: 'from-shell' });
    await h.api.deploy('greet');
    // Without PARTNER_URL the connection has no base URL for the node's relative "/ping": deploy refuses it.
    expect(await h.api.deploy('call')).toMatchObject({ ok: false });
    expect(await greet()).toBe('from-shell');

    const dev = await h.api.saveEnvironment(
      { name: 'dev', variables: [{ name: 'GREETING', value: 'hello-dev' }, { name: 'PARTNER_URL', value: partnerA.url }, { name: 'PARTNER_TOKEN', secret: true }] },
      { secretValues: { PARTNER_TOKEN: 'tok-dev-123' } },
    );
    // Saving an environment that is not active changes nothing that runs.
    expect(dev.redeployed).toEqual([]);
    expect(await greet()).toBe('from-shell');
    await h.api.saveEnvironment(
      { name: 'prod', variables: [{ name: 'GREETING', value: 'hello-prod' }, { name: 'PARTNER_URL', value: partnerB.url }, { name: 'PARTNER_TOKEN', secret: true }] },
      { secretValues: { PARTNER_TOKEN: 'tok-prod-456' } },
    );

    const on = await h.api.setActiveEnvironment('dev');
    expect(on.redeployed).toEqual(['greet']);
    expect(on.state.active).toBe('dev');
    expect(await h.api.deploy('call')).toMatchObject({ ok: true });
    expect(await greet()).toBe('hello-dev');
    expect(await call()).toEqual({ partner: 'A' });

    expect((await h.api.setActiveEnvironment('prod')).redeployed.sort()).toEqual(['call', 'greet']);
    expect(await greet()).toBe('hello-prod');
    // The connection's base URL follows the environment (its filled-in copy is not kept across the switch), and so
    // does its token: the connection names the secret PARTNER_TOKEN, a secret variable of both environments.
    expect(await call()).toEqual({ partner: 'B' });
    expect(received).toEqual(['A Bearer tok-dev-123', 'B Bearer tok-prod-456']);

    // Editing the active environment applies at once; "no environment" is the process environment again.
    await h.api.saveEnvironment({ name: 'prod', variables: [{ name: 'GREETING', value: 'hello-prod-2' }, { name: 'PARTNER_URL', value: partnerB.url }] }, { previousName: 'prod' });
    expect(await greet()).toBe('hello-prod-2');
    await h.api.setActiveEnvironment(null);
    expect(await greet()).toBe('from-shell');
    const same = await h.api.setActiveEnvironment(null);
    expect(same.redeployed).toEqual([]);
  });

  it('keeps secret values write-only: never in the state, the file or the bundle; blank keeps the stored value', async () => {
    await start();
    await h.api.saveEnvironment({ name: 'dev', variables: [{ name: 'PARTNER_TOKEN', secret: true, value: 'typed-into-the-row' }] });
    expect(secrets.get(envSecretName('dev', 'PARTNER_TOKEN'))).toBe('typed-into-the-row');
    await h.api.saveEnvironment({ name: 'dev', variables: [{ name: 'PARTNER_TOKEN', secret: true }] }, { previousName: 'dev', secretValues: { PARTNER_TOKEN: '' } });
    expect(secrets.get(envSecretName('dev', 'PARTNER_TOKEN'))).toBe('typed-into-the-row');
    // The Environments page manages it: the Secrets list leaves it out.
    expect(await h.api.listSecrets()).toEqual([]);
    const state = await h.api.getEnvironments();
    expect(state.environments[0]).toEqual({ name: 'dev', variables: [{ name: 'PARTNER_TOKEN', secret: true, set: true }], missing: [] });
    expect(JSON.stringify(state)).not.toContain('typed-into-the-row');
    expect(fs.readFileSync(path.join(dataDir, 'environments.json'), 'utf8')).not.toContain('typed-into-the-row');
    const bundle = await h.api.exportBundle({ flowIds: ['call'] });
    expect(bundle.text).not.toContain('typed-into-the-row');
    expect(JSON.parse(bundle.text).environments).toEqual([{ name: 'dev', variables: [{ name: 'PARTNER_TOKEN', secret: true }] }]);
    expect(bundle.warnings).toEqual([]); // nothing was left out
  });

  it('keeps a secret value per environment: a rename takes it along, removing the variable or the environment drops it, a plain secret stands in', async () => {
    await start();
    const tokenOf = () => h.runtime.env.PARTNER_TOKEN;
    await h.api.saveEnvironment({ name: 'dev', variables: [{ name: 'PARTNER_TOKEN', secret: true }] }, { secretValues: { PARTNER_TOKEN: 'tok-dev' } });
    await h.api.saveEnvironment({ name: 'prod', variables: [{ name: 'PARTNER_TOKEN', secret: true }] });
    // With dev active as well: prod has no value of its own, whatever PARTNER_TOKEN reads as now.
    await h.api.setActiveEnvironment('dev');
    const state = await h.api.getEnvironments();
    expect(state.environments.map((e) => [e.name, e.variables[0].set, e.missing])).toEqual([
      ['dev', true, []],
      ['prod', false, ['PARTNER_TOKEN']],
    ]);
    expect(tokenOf()).toBe('tok-dev');
    // Setting prod's value leaves dev's as it was.
    await h.api.saveEnvironment({ name: 'prod', variables: [{ name: 'PARTNER_TOKEN', secret: true }] }, { previousName: 'prod', secretValues: { PARTNER_TOKEN: 'tok-prod' } });
    expect(tokenOf()).toBe('tok-dev');
    await h.api.setActiveEnvironment('prod');
    expect(tokenOf()).toBe('tok-prod');
    // A rename (of the active one too) takes the value along and leaves nothing under the old name.
    await h.api.saveEnvironment({ name: 'prod eu', variables: [{ name: 'PARTNER_TOKEN', secret: true }] }, { previousName: 'prod' });
    expect(tokenOf()).toBe('tok-prod');
    expect(secrets.list().sort()).toEqual([envSecretName('dev', 'PARTNER_TOKEN'), envSecretName('prod eu', 'PARTNER_TOKEN')].sort());
    // A secret stored under the plain name (the Secrets page) stands in where an environment has no value of its own.
    await h.api.setSecret('PARTNER_TOKEN', 'tok-plain');
    expect(tokenOf()).toBe('tok-prod');
    await h.api.saveEnvironment({ name: 'prod eu', variables: [] }, { previousName: 'prod eu' });
    const readded = await h.api.saveEnvironment({ name: 'prod eu', variables: [{ name: 'PARTNER_TOKEN', secret: true }] }, { previousName: 'prod eu' });
    expect(tokenOf()).toBe('tok-plain');
    // The page says where the value comes from: the shared secret, not one of its own.
    expect(readded.state.environments.map((e) => e.variables[0])).toEqual([
      { name: 'PARTNER_TOKEN', secret: true, set: true },
      { name: 'PARTNER_TOKEN', secret: true, set: true, shared: true },
    ]);
    await h.api.deleteEnvironment('dev');
    expect(secrets.list()).toEqual(['PARTNER_TOKEN']);
    // Names that differ only in spelling keep apart.
    expect(new Set(['a b', 'a_b', 'a-b', 'ab', 'a_20b'].map((n) => envSecretName(n, 'X'))).size).toBe(5);
  });

  it('refuses bad input naming each field, and saves nothing then', async () => {
    await start();
    await h.api.saveEnvironment({ name: 'dev', variables: [] });
    const bad = await problemsOf(
      h.api.saveEnvironment({ name: 'dev', variables: [{ name: '1BAD', value: 'x' }, { name: 'ERP_PASSWORD', value: 'hunter2' }, { name: 'URL', value: 'a' }, { name: 'URL', value: 'b' }] }),
    );
    expect(bad).toEqual([expect.stringMatching(/^variables\[0\]\.name: must be a variable name/)]);
    const more = await problemsOf(h.api.saveEnvironment({ name: 'dev', variables: [{ name: 'ERP_PASSWORD', value: 'hunter2' }, { name: 'URL', value: 'a' }, { name: 'URL', value: 'b' }] }, { previousName: 'dev', secretValues: { URL: 'x' } }));
    expect(more).toEqual([
      'variables[2].name: "URL" is declared twice (also variables[1])',
      'variables[0].value: ERP_PASSWORD looks like a credential: make it a secret variable (a plain value would go into exported bundles)',
      'secretValues.URL: URL is not a secret variable of "dev"',
    ]);
    await h.api.saveEnvironment({ name: 'prod', variables: [] });
    expect(await problemsOf(h.api.saveEnvironment({ name: 'prod', variables: [] }, { previousName: 'dev' }))).toEqual(['name: an environment "prod" exists already']);
    // A new environment never replaces one of the same name (only an edit, naming it, does).
    await h.api.saveEnvironment({ name: 'prod', variables: [{ name: 'KEEP', value: 'me' }] }, { previousName: 'prod' });
    expect(await problemsOf(h.api.saveEnvironment({ name: 'prod', variables: [] }))).toEqual(['name: an environment "prod" exists already']);
    await h.api.saveEnvironment({ name: 'prod', variables: [] }, { previousName: 'prod' });
    expect(await problemsOf(h.api.setActiveEnvironment('staging'))).toEqual(['name: there is no environment "staging" (there are "dev", "prod")']);
    expect((await h.api.getEnvironments()).environments.map((e) => [e.name, e.variables.length])).toEqual([
      ['dev', 0],
      ['prod', 0],
    ]);
  });

  it('renames and deletes: the active one follows a rename; deleting it leaves no environment active', async () => {
    await start({ GREETING: 'from-shell' });
    await h.api.deploy('greet');
    await h.api.saveEnvironment({ name: 'dev', variables: [{ name: 'GREETING', value: 'hi' }] });
    await h.api.setActiveEnvironment('dev');
    const renamed = await h.api.saveEnvironment({ name: 'local', variables: [{ name: 'GREETING', value: 'hi' }] }, { previousName: 'dev' });
    expect(renamed.state.active).toBe('local');
    expect(renamed.state.environments.map((e) => e.name)).toEqual(['local']);
    expect(renamed.redeployed).toEqual([]); // the same values
    const gone = await h.api.deleteEnvironment('local');
    expect(gone.state).toEqual({ active: null, environments: [] });
    expect(await greet()).toBe('from-shell');
  });

  it('lists what is missing, and the active environment holds across a restart', async () => {
    await start({ FROM_SHELL: 'yes' });
    const r = await h.api.saveEnvironment({ name: 'dev', variables: [{ name: 'ERP_URL' }, { name: 'FROM_SHELL' }, { name: 'ERP_TOKEN', secret: true }, { name: 'GREETING', value: 'persisted' }] });
    expect(r.state.environments[0].missing).toEqual(['ERP_URL', 'ERP_TOKEN']);
    await h.api.setSecret('ERP_TOKEN', 'tok');
    expect((await h.api.getEnvironments()).environments[0].missing).toEqual(['ERP_URL']);
    await h.api.setActiveEnvironment('dev');
    await h.api.deploy('greet');
    await h.close();
    await start();
    expect((await h.api.getEnvironments()).active).toBe('dev');
    expect(await greet()).toBe('persisted');
  });
});

describe('studioEnv', () => {
  it("puts the environment's values over the process environment; a secret without a stored value keeps the process value", () => {
    const store = new MemorySecretStore({ TOKEN: 'from-store' });
    const env = studioEnv({ URL: 'shell-url', EMPTY: '', PW: 'shell-pw', OTHER: 'o' }, { name: 'dev', variables: [{ name: 'URL', value: 'dev-url', secret: false }, { name: 'TOKEN', secret: true }, { name: 'PW', secret: true }, { name: 'BLANK', value: '', secret: false }] }, store);
    expect(env).toEqual({ URL: 'dev-url', PW: 'shell-pw', OTHER: 'o', TOKEN: 'from-store' });
    // The secret ones are marked, so records mask their values (see core/runtime/record-mask.ts).
    expect([...secretEnvNames(env)].sort()).toEqual(['PW', 'TOKEN']);
    expect([...secretEnvValues(env)].sort()).toEqual(['from-store', 'shell-pw']);
    expect(studioEnv({ A: 'a' }, undefined, store)).toEqual({ A: 'a' });
    expect(secretEnvNames(studioEnv({ A: 'a' }, undefined, store)).size).toBe(0);
  });
});

describe('a first start with the examples', () => {
  it('has the examples\' environment "local" active, so Order to ERP posts to the Mock ERP; a later start keeps what is there', async () => {
    h = await startHostedRuntime({ dataDir, secrets, port: 0, env: {}, seedExamples: true });
    expect(await h.api.getRuntimeInfo()).not.toHaveProperty('requestedPort');
    const state = await h.api.getEnvironments();
    expect(state.active).toBe('local');
    // The Mock ERP runs on this runtime, whatever port it got (the file says 8080; the desktop app may get another).
    expect(h.runtime.port).not.toBe(8080);
    const erpUrl = `http://127.0.0.1:${h.runtime.port}/example/mock-erp`;
    expect(state.environments[0].variables).toEqual([expect.objectContaining({ name: 'ERP_URL', value: erpUrl })]);
    expect(h.runtime.env.ERP_URL).toBe(erpUrl);
    // As a first-time user runs it: both examples deployed, the sample order goes through to the Mock ERP.
    for (const id of ['mock-erp', 'order-to-erp']) expect((await h.api.deploy(id)).ok).toBe(true);
    const order = JSON.parse(fs.readFileSync(path.join(EXAMPLE_FLOWS_DIR, 'order-to-erp.flow.json'), 'utf8')).sample.trigger.body;
    const res = await send(`${h.runtime.baseUrl}/example/order`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(order) });
    expect(res.status, res.text).toBe(200);
    await h.api.saveEnvironment({ name: 'local', variables: [{ name: 'ERP_URL', value: 'http://erp.internal/orders' }] }, { previousName: 'local' });
    await h.close();
    h = await startHostedRuntime({ dataDir, secrets, port: 0, env: {}, seedExamples: true });
    expect(h.runtime.env.ERP_URL).toBe('http://erp.internal/orders');
  });
});

describe('the webhook port', () => {
  it('is taken: a studio fails by default, naming the port; the desktop app (portInUse any) serves on a free one', async () => {
    const taken = await startHttp((_req, res) => json(res, 200, {}));
    try {
      const port = Number(new URL(taken.url).port);
      const failed = await startHostedRuntime({ dataDir, secrets, port, env: {} }).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(StartupError);
      expect((failed as StartupError).message).toContain(`port ${port} on 127.0.0.1 is already in use`);
      const warnings: string[] = [];
      const logger = { debug() {}, info() {}, error() {}, warn: (m: string) => void warnings.push(m) };
      h = await startHostedRuntime({ dataDir, secrets, port, env: {}, portInUse: 'any', logger });
      expect(h.runtime.port).not.toBe(port);
      expect(warnings).toContain(`port ${port} is in use: webhooks are served on port ${h.runtime.port} this time`);
      // The studio says so where it shows the endpoints (see WebhookEndpoint).
      expect(await h.api.getRuntimeInfo()).toMatchObject({ port: h.runtime.port, requestedPort: port });
      await h.api.saveFlow(chainFlow({ path: '/ping', responseMode: 'requestResponse' }, [{ type: 'respond', settings: { bodyMode: 'data' } }], { id: 'ping' }));
      await h.api.deploy('ping');
      expect((await send(`${h.runtime.baseUrl}/ping`, { headers: { 'content-type': 'application/json' }, body: '{"a":1}' })).json).toEqual({ a: 1 });
    } finally {
      await taken.close();
    }
  });

  it('onRuntime moves only the example URLs on 127.0.0.1:8080 to the runtime', () => {
    const envs = [{ name: 'local', variables: [
      { name: 'ERP_URL', value: 'http://127.0.0.1:8080/example/mock-erp', secret: false },
      { name: 'OTHER', value: 'http://127.0.0.1:80801/x', secret: false },
      { name: 'PARTNER', value: 'https://partner.example/8080', secret: false },
      { name: 'TOKEN', secret: true },
    ] }];
    expect(onRuntime(envs, 'http://127.0.0.1:43210')[0].variables.map((v) => v.value)).toEqual(['http://127.0.0.1:43210/example/mock-erp', 'http://127.0.0.1:80801/x', 'https://partner.example/8080', undefined]);
  });
});
