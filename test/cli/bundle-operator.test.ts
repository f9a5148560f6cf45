import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBundle, checksumOf, serializeBundle } from '../../core/bundle/bundle';
import { FlowRepository } from '../../core/host/flow-repo';
import { flowSchema } from '../../core/model/flow';
import { chainFlow, tempDir } from '../helpers/runtime';
import { cli } from '../helpers/cli-process';

/** What an operator receives: a bundle file (as exported) of one flow using the secret and the variable named. */
function bundleFile(o: { secret?: string; variable?: string; environments?: Parameters<typeof buildBundle>[0]['environments']; edit?: (b: any) => void } = {}): string {
  const flow = flowSchema.parse(
    chainFlow({ path: '/o', auth: { type: 'apiKey', keys: [{ id: 'k', label: 'Shop', secret: o.secret ?? 'OP_TEST_KEY' }] } }, [
      { type: 'log', settings: { value: `$env.${o.variable ?? 'OP_TEST_URL'}` } },
    ], { id: 'orders' }),
  );
  const b = JSON.parse(serializeBundle(buildBundle({ name: 'orders', flows: [flow], environments: o.environments })));
  o.edit?.(b);
  const file = path.join(tempDir(), 'orders.bundle.json');
  fs.writeFileSync(file, JSON.stringify(b, null, 2));
  return file;
}

describe('serve names the file and what is wrong with it', () => {
  it('a bundle changed after export: the file, the field and the problem', async () => {
    const file = bundleFile({ edit: (b) => (b.flows[0].nodes[1].settings.value = '$env.OTHER') });
    const r = await cli(['serve', file, '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`${file}: manifest.checksum: does not match the content: the bundle was changed after export (export it again)`);
  });

  it('a flow problem names the flow and the node as well as the path', async () => {
    // Changed and checksummed again, as a tool that makes bundles might: the checksum holds, the expression does not.
    const file = bundleFile({ edit: (b) => ((b.flows[0].nodes[1].settings.value = '$sum('), (b.manifest.checksum = checksumOf(b))) });
    const r = await cli(['serve', file, '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: flows\\[0\\]\\.nodes\\[1\\]\\.settings[.:].*Expected .* \\[flow "orders", node "n1"\\]$`, 'm'));
  });

  it('a truncated or empty file says so with line and column; a byte order mark is accepted', async () => {
    const file = bundleFile();
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.slice(0, 300));
    const cut = await cli(['serve', file]);
    expect(cut.code).toBe(1);
    expect(cut.err).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: is not valid JSON at line \\d+, column \\d+: it ends too early \\(cut off\\?\\)$`));
    fs.writeFileSync(file, '');
    expect((await cli(['serve', file])).err).toBe(`${file}: is empty, not JSON (was the file cut off while copying?)`);
    fs.writeFileSync(file, '\uFEFF' + text);
    const bom = await cli(['validate', file]);
    expect(bom.code, bom.err).toBe(0);
    expect((await cli(['serve', path.dirname(file)])).err).toContain('is a folder, not a file');
  });

  it('a flow file handed to serve, and a bundle of a newer format, get one problem saying what to do', async () => {
    const flowFile = path.join(tempDir(), 'orders.flow.json');
    fs.writeFileSync(flowFile, JSON.stringify(chainFlow({ path: '/o' }, [], { id: 'orders' })));
    const asBundle = await cli(['serve', flowFile]);
    expect(asBundle.code).toBe(1);
    expect(asBundle.err).toBe(`${flowFile}: is a flow file, not a bundle: import it with Import flow (studio) or run it with \`hookline run <file>\`; to serve it, export a bundle of it (studio: Export bundle, or \`hookline export\`)`);
    const newer = bundleFile({ edit: (b) => ((b.formatVersion = 2), (b.manifest.appVersion = '3.1.0')) });
    const r = await cli(['serve', newer]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/: formatVersion: is 2: the bundle was exported by Hookline 3\.1\.0, and this version \(.*\) reads bundle format 1 only: update Hookline to run or import it$/);
    expect(r.err.split('\n')).toHaveLength(1);
    const exec = await cli(['exec', bundleFile()]);
    expect(exec.code).toBe(1);
    expect(exec.err).toMatch(/: is a bundle, not a flow file: exec runs one flow .*use 'hookline run' or 'hookline serve'$/);
  });
});

describe('validate checks what serve checks across the flows of a bundle', () => {
  it('two flows on one route, and a webhook on a path serve keeps for itself (validate said valid, serve refused)', async () => {
    const flows = [
      flowSchema.parse(chainFlow({ path: '/orders' }, [], { id: 'orders', name: 'Orders' })),
      flowSchema.parse(chainFlow({ path: '/orders', methods: ['POST', 'PUT'] }, [], { id: 'orders-2' })),
      flowSchema.parse(chainFlow({ path: '/metrics', methods: ['GET'] }, [], { id: 'stats' })),
    ];
    const file = path.join(tempDir(), 'two.bundle.json');
    fs.writeFileSync(file, serializeBundle(buildBundle({ name: 'two', flows })));
    const r = await cli(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toEqual([
      `${file}: flows[1].nodes[0].settings.path: POST /orders is already served by flow "Orders" (orders, node "hook") in this bundle: 'hookline serve' refuses two webhooks on one route [flow "orders-2", node "hook"]`,
      `${file}: flows[2].nodes[0].settings.path: /metrics is reserved by 'hookline serve' (health, readiness and metrics): choose another path [flow "stats", node "hook"]`,
    ]);
    const served = await cli(['serve', file, '--port', '0', '--data-dir', tempDir()]);
    expect(served.code).toBe(1);
    expect(served.err).toBe(r.err);
  });
});

describe('serve: missing secrets and variables, environments', () => {
  const environments = [
    { name: 'staging', variables: [{ name: 'OP_TEST_URL', value: 'http://staging.example', secret: false }] },
    { name: 'prod', variables: [{ name: 'OP_TEST_URL', value: 'http://prod.example', secret: false }] },
  ];

  it('lists what is missing, says how to set it, and which environment has a missing variable', async () => {
    const file = bundleFile({ environments });
    const r = await cli(['serve', file, '--port', '0']);
    expect(r.code).toBe(3);
    const lines = r.err.split('\n');
    expect(lines[0]).toBe(`hookline serve: cannot start ${file}, 2 missing:`);
    expect(lines).toContain('  - secret OP_TEST_KEY (used by flow orders, node hook)');
    expect(lines).toContain(`  - variable OP_TEST_URL (used by flow orders, node n1); the bundle's environments "staging", "prod" set it: choose one with --env staging`);
    expect(r.err).toContain('Set a secret NAME as HOOKLINE_SECRET_NAME or NAME in the environment, as a file named by HOOKLINE_SECRET_NAME_FILE, or as "NAME" in the --secrets-file');
  });

  it('an --env the bundle does not have is a usage error naming the ones it has', async () => {
    const file = bundleFile({ environments });
    const r = await cli(['serve', file, '--env', 'qa']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--env qa: ${file} has no environment "qa" (it has "staging", "prod")`);
  });
});

describe('serve: options that point at the wrong thing are usage errors naming the option', () => {
  it('a --data-dir that is a file, a --secrets-file that does not exist (was EEXIST from mkdir, and exit 3)', async () => {
    const file = bundleFile();
    const aFile = path.join(tempDir(), 'not-a-dir');
    fs.writeFileSync(aFile, '');
    const dir = await cli(['serve', file, '--data-dir', aFile]);
    expect(dir.code).toBe(2);
    expect(dir.err).toContain(`hookline serve: --data-dir ${aFile}: is a file, not a folder`);
    const secrets = await cli(['serve', file, '--secrets-file', path.join(tempDir(), 'nope.json')]);
    expect(secrets.code).toBe(2);
    expect(secrets.err).toMatch(/--secrets-file .*nope\.json: no such file/);
  });

  it('run with a flow file and --env (which only a bundle has) says so instead of ignoring it', async () => {
    const flowFile = path.join(tempDir(), 'orders.flow.json');
    fs.writeFileSync(flowFile, JSON.stringify(chainFlow({ path: '/o' }, [], { id: 'orders' })));
    const r = await cli(['run', flowFile, '--env', 'prod', '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`--env prod: ${flowFile} is a flow file, which has no environments`);
  });
});

describe('secrets never travel in a bundle', () => {
  /** A studio data directory with one flow whose Web Integration node has these settings. */
  function studioWith(settings: Record<string, unknown>): string {
    const dir = tempDir();
    new FlowRepository(dir).save(flowSchema.parse(chainFlow({ path: '/o' }, [{ type: 'http-request', id: 'send', settings: { url: 'http://127.0.0.1:1/x', ...settings } }], { id: 'relay' })));
    return dir;
  }

  it('export refuses a credential typed into a node header or inline connection, naming the field, never printing it', async () => {
    const dir = studioWith({
      headers: [{ name: 'Authorization', value: 'Bearer literal-TOKEN-4242' }, { name: 'X-Api-Version', value: '2' }],
      connection: { auth: { type: 'headers', headers: [{ name: 'X-Api-Key', value: 'literal-KEY-4343' }] } },
    });
    const out = path.join(tempDir(), 'relay.bundle.json');
    const r = await cli(['export', '--data-dir', dir, '--flows', 'relay', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('flows.relay.nodes[1].settings.headers[0].value: holds a plaintext credential for header "Authorization"');
    expect(r.err).toContain('flows.relay.nodes[1].settings.connection.auth.headers[0].value: holds a plaintext credential for header "X-Api-Key"');
    expect(r.err).not.toContain('X-Api-Version');
    expect(r.err + r.out).not.toMatch(/literal-(TOKEN|KEY)/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('export refuses a password written into a URL (user:password@host), in a node or a saved connection', async () => {
    const dir = studioWith({ url: 'https://bob:url-PW-5151@partner.example/orders' });
    const out = path.join(tempDir(), 'relay.bundle.json');
    const r = await cli(['export', '--data-dir', dir, '--flows', 'relay', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toBe('flows.relay.nodes[1].settings.url: holds a password in the URL (user:password@host): a bundle names secrets, never their values; use basic auth with the password in a secret (passwordSecret)');
    const conn = studioWith({ url: '/orders', connectionId: 'erp' });
    fs.mkdirSync(path.join(conn, 'connections'));
    fs.writeFileSync(path.join(conn, 'connections', 'erp.json'), JSON.stringify({ id: 'erp', name: 'ERP', baseUrl: 'https://bob:url-PW-5151@erp.example', auth: { type: 'none' } }));
    const c = await cli(['export', '--data-dir', conn, '--flows', 'relay', '--out', out]);
    expect(c.code).toBe(1);
    expect(c.err).toContain('connections.erp.baseUrl: connection "erp"');
    expect(c.err + r.err).not.toContain('url-PW');
    expect(fs.existsSync(out)).toBe(false);
    // A user name alone, or a password computed by a template, is no password written down.
    const ok = studioWith({ url: 'https://bob@partner.example/{{ data.id }}', headers: [{ name: 'X-Trace', value: 'https://a:{{ data.t }}@x' }] });
    expect((await cli(['export', '--data-dir', ok, '--flows', 'relay', '--out', out])).code).toBe(0);
  });

  it('a header computed by a template, or a bearer token from a secret, exports', async () => {
    const dir = studioWith({ headers: [{ name: 'Authorization', value: 'Bearer {{ $env.PARTNER_TOKEN }}' }], connection: { auth: { type: 'bearer', tokenSecret: 'PARTNER_TOKEN' } } });
    const out = path.join(tempDir(), 'relay.bundle.json');
    const r = await cli(['export', '--data-dir', dir, '--flows', 'relay', '--out', out]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).secrets.map((s: { name: string }) => s.name)).toEqual(['PARTNER_TOKEN']);
  });

  it('export refuses an environment variable named like a credential that has a plain value; TOKEN_URL is no credential', async () => {
    const dir = studioWith({});
    const envs = [{ name: 'prod', variables: [{ name: 'TOKEN_URL', value: 'https://idp.example/token' }, { name: 'ERP_PASSWORD', value: 'plain-PW-1212' }, { name: 'CLIENT_SECRET', secret: true }] }];
    fs.writeFileSync(path.join(dir, 'environments.json'), JSON.stringify(envs));
    const out = path.join(tempDir(), 'relay.bundle.json');
    const r = await cli(['export', '--data-dir', dir, '--flows', 'relay', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')).toEqual([
      `environments.prod.variables[1].value: variable ERP_PASSWORD of environment "prod" looks like a credential and has a plain value, which a bundle would carry: mark it "secret": true (serve then reads it as the secret ERP_PASSWORD), or leave the value out and set ERP_PASSWORD on the server (${path.join(dir, 'environments.json')})`,
    ]);
    expect(fs.existsSync(out)).toBe(false);
    envs[0].variables[1] = { name: 'ERP_PASSWORD', secret: true } as never;
    fs.writeFileSync(path.join(dir, 'environments.json'), JSON.stringify(envs));
    expect((await cli(['export', '--data-dir', dir, '--flows', 'relay', '--out', out])).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).not.toContain('plain-PW');
  });

  it('validate warns about a bundle made another way that holds one, naming the flow and node', async () => {
    const flow = flowSchema.parse(chainFlow({ path: '/o' }, [{ type: 'http-request', id: 'send', settings: { url: 'http://127.0.0.1:1/x', headers: [{ name: 'Authorization', value: 'Basic dXNlcjpwYXNz' }] } }], { id: 'relay' }));
    const file = path.join(tempDir(), 'b.bundle.json');
    fs.writeFileSync(file, serializeBundle(buildBundle({ name: 'b', flows: [flow] })));
    const r = await cli(['validate', file]);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`${file}: warning: flows[0].nodes[1].settings.headers[0].value: holds a plaintext credential for header "Authorization"`);
    expect(r.err).toContain('[flow "relay", node "send"]');
  });
});
