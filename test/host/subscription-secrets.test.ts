import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHostedRuntime, type HostedRuntime } from '../../core/host/studio';
import { stagedSecretName } from '../../core/host/subscription-repo';
import { ProblemsError } from '../../core/model/problems';
import type { Subscription } from '../../core/model/subscription';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { destroyAgents } from '../../core/http/agents';
import { generateWebhookSecret, verifyStandardWebhook } from '../../core/webhook/signatures';
import { chainFlow, send, tempDir } from '../helpers/runtime';
import { json, startHttp, type TestServer } from '../http/servers';

/**
 * ITscope's page: settings (the password included) take effect only with "Änderungen übernehmen". A new
 * password or signing secret saved with a draft must not change what live deliveries send before apply.
 */
const OLD = generateWebhookSecret();
const NEW = generateWebhookSecret();
let receiver: TestServer;
let h: HostedRuntime;
let secrets: MemorySecretStore;
let dataDir: string;
/** Which secret each request was signed with ('old' / 'new' / '-'), and its Basic credentials. */
const seen: Array<{ signedWith: string; auth?: string; test: boolean }> = [];

beforeAll(async () => {
  receiver = await startHttp((req, res, body) => {
    const now = Math.floor(Date.now() / 1000);
    const signedWith = verifyStandardWebhook([OLD], req.headers, body, now).ok ? 'old' : verifyStandardWebhook([NEW], req.headers, body, now).ok ? 'new' : '-';
    seen.push({ signedWith, auth: req.headers.authorization, test: JSON.parse(body.toString()).test === true });
    json(res, 200, { ok: true });
  });
});
afterAll(async () => {
  await receiver.close();
  destroyAgents();
});
beforeEach(async () => {
  seen.length = 0;
  secrets = new MemorySecretStore({ SIGN: OLD, PW: 'old-password' });
  dataDir = tempDir();
  h = await startHostedRuntime({ dataDir, secrets, port: 0 });
});
afterEach(() => h.close());

const subs = (): { subscriptions: Subscription[] } => ({
  subscriptions: [
    { id: 'signed', eventType: 'DELIVERY', enabled: true, url: `${receiver.url}/signed`, auth: { type: 'standardWebhooks', secret: 'SIGN' } },
    { id: 'basic', eventType: 'DELIVERY', enabled: true, url: `${receiver.url}/basic`, auth: { type: 'basic', username: 'itscope', passwordSecret: 'PW' } },
  ],
});
const basic = (pw: string) => `Basic ${Buffer.from(`itscope:${pw}`).toString('base64')}`;

async function publish() {
  seen.length = 0;
  const r = await send(h.runtime.baseUrl + '/pub', { body: '{"orderId":"1"}', headers: { 'content-type': 'application/json' } });
  expect(r.json).toMatchObject({ delivered: 2, failed: 0 });
  return [...seen].sort((a, b) => String(a.auth).localeCompare(String(b.auth)));
}

describe('subscription secrets take effect only when applied', () => {
  it('live deliveries keep the applied password and signing secret until apply; a test event uses the new ones', async () => {
    await h.api.saveSubscriptions(subs());
    await h.api.applySubscriptions();
    const flow = chainFlow({ methods: ['POST'], path: '/pub', responseMode: 'requestResponse' }, [{ type: 'publish-event', settings: { eventType: 'DELIVERY', orderId: 'data.orderId' } }, { type: 'respond' }], { id: 'pub' });
    await h.api.saveFlow(flow);
    expect((await h.api.deploy('pub')).ok).toBe(true);
    expect(await publish()).toEqual([expect.objectContaining({ auth: basic('old-password') }), expect.objectContaining({ signedWith: 'old' })]);

    const draft = await h.api.saveSubscriptions(subs(), { SIGN: NEW, PW: 'new-password' });
    expect(draft).toMatchObject({ pending: true, stagedSecrets: ['SIGN', 'PW'] });
    expect([secrets.get('SIGN'), secrets.get('PW')]).toEqual([OLD, 'old-password']);
    expect(await publish()).toEqual([expect.objectContaining({ auth: basic('old-password') }), expect.objectContaining({ signedWith: 'old' })]);

    // "Send test event" checks what apply would make live.
    seen.length = 0;
    expect((await h.api.sendTestEvent('signed')).ok).toBe(true);
    expect((await h.api.sendTestEvent('basic')).ok).toBe(true);
    expect(seen).toEqual([{ signedWith: 'new', test: true }, { signedWith: '-', auth: basic('new-password'), test: true }]);

    // Saving the draft again without values keeps what was staged.
    expect((await h.api.saveSubscriptions(subs())).stagedSecrets).toEqual(['SIGN', 'PW']);
    const applied = await h.api.applySubscriptions();
    expect(applied).toMatchObject({ pending: false, stagedSecrets: [] });
    expect(await publish()).toEqual([expect.objectContaining({ auth: basic('new-password') }), expect.objectContaining({ signedWith: 'new' })]);
    expect(secrets.list().filter((n) => n.endsWith('__DRAFT'))).toEqual([]);
  });

  it('a staged value survives a restart; one whose subscription stopped using it is dropped', async () => {
    await h.api.saveSubscriptions(subs(), { SIGN: NEW });
    expect(secrets.get(stagedSecretName('SIGN'))).toBe(NEW);
    // Not a secret of its own in the studio's list: its field says "saved, not applied".
    expect((await h.api.listSecrets()).map((x) => x.name)).not.toContain(stagedSecretName('SIGN'));
    expect((await h.api.listSecrets()).map((x) => x.name)).toContain('SIGN');
    await h.close();
    h = await startHostedRuntime({ dataDir, secrets, port: 0 });
    expect((await h.api.getSubscriptions()).stagedSecrets).toEqual(['SIGN']);
    const none = { subscriptions: [{ ...subs().subscriptions[0], auth: { type: 'none' as const } }, subs().subscriptions[1]] };
    expect((await h.api.saveSubscriptions(none)).stagedSecrets).toEqual([]);
    expect(secrets.has(stagedSecretName('SIGN'))).toBe(false);
    expect(secrets.get('SIGN')).toBe(OLD);
  });

  it('a value for a secret no subscription uses is refused, naming it; a missing secret of an enabled subscription is a warning', async () => {
    const err = (await h.api.saveSubscriptions(subs(), { OTHER: 'x' }).catch((e) => e)) as ProblemsError;
    expect(err).toBeInstanceOf(ProblemsError);
    expect(err.problems.map((p) => `${p.path}: ${p.message}`)).toEqual(['secrets.OTHER: is not the password or signing secret of any subscription in the draft']);
    expect(secrets.has(stagedSecretName('OTHER'))).toBe(false);
    secrets.delete('PW');
    const s = await h.api.saveSubscriptions(subs());
    expect(s.problems).toContainEqual(expect.objectContaining({ path: 'subscriptions[1].auth.passwordSecret', code: 'missing_secret', severity: 'warning', message: 'secret PW is not set: deliveries to "basic" will fail' }));
  });

  it('a signing secret that is not whsec_ base64 of 16-64 bytes is refused when saved, naming it; nothing is staged', async () => {
    for (const [value, says] of [
      ['not-a-whsec-secret', 'must be a Standard Webhooks signing secret'],
      ['whsec_%%%not base64%%%', 'the part after "whsec_" must be base64'],
      ['whsec_c2hvcnQ=', 'the key must be 16 to 64 bytes (it is 5)'],
    ] as const) {
      const err = (await h.api.saveSubscriptions(subs(), { SIGN: value }).catch((e) => e)) as ProblemsError;
      expect(err).toBeInstanceOf(ProblemsError);
      expect(err.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([expect.stringContaining(`secrets.SIGN: signing secret SIGN: ${says}`)]);
    }
    expect(secrets.has(stagedSecretName('SIGN'))).toBe(false);
    // A password may be anything; a generated signing secret is fine.
    await expect(h.api.saveSubscriptions(subs(), { SIGN: generateWebhookSecret(), PW: 'not whsec at all' })).resolves.toMatchObject({ pending: true });
  });
});
