import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle, serializeBundle } from '../../core/bundle/bundle';
import { flowSchema } from '../../core/model/flow';
import { linearFlow, openStudio } from './studio-page';

/** A relay whose Web Integration node carries a bearer token typed into a header: export must refuse it. */
const relay = linearFlow('relay', 'Relay', [
  { id: 'in', type: 'webhook', settings: { path: '/relay', methods: ['POST'] } },
  { id: 'send', type: 'http-request', settings: { url: 'https://partner.example/orders', headers: [{ name: 'Authorization', value: 'Bearer typed-TOKEN-9911' }] } },
]);

/** Work in progress: its Web Integration node has no URL yet. */
const wip = linearFlow('wip', 'Work in progress', [
  { id: 'in', type: 'webhook', settings: { path: '/wip', methods: ['POST'] } },
  { id: 'send', type: 'http-request', settings: { url: '' } },
]);

/** A colleague's bundle using connection `erp`, which this studio already has with settings of its own. */
const theirs = serializeBundle(
  buildBundle({
    name: 'theirs',
    flows: [flowSchema.parse(linearFlow('orders', 'Orders', [
      { id: 'in', type: 'webhook', settings: { path: '/orders', methods: ['POST'] } },
      { id: 'send', type: 'http-request', settings: { url: '/orders', connectionId: 'erp' } },
    ]))],
    connections: [{ id: 'erp', name: 'ERP (theirs)', baseUrl: 'https://erp.theirs.example', auth: { type: 'none' } }],
  }),
);

describe('bundle dialogs', () => {
  let s: Awaited<ReturnType<typeof openStudio>>;
  beforeAll(async () => {
    s = await openStudio({
      prefix: 'bundle-dialogs',
      flows: [relay, wip],
      before: async (studio) => void (await studio.api.saveConnection({ id: 'erp', name: 'ERP (mine)', baseUrl: 'https://erp.mine.example', auth: { type: 'none' } } as never)),
    });
  });
  afterAll(async () => s?.close());

  it('export lists each credential typed into a node, with a button that opens the node', async () => {
    const { app } = s;
    await app.tid('bundle-export-open').click();
    await app.tid('bundle-flow-relay').check();
    await expect.poll(() => app.tid('bundle-flow-problems-wip').textContent()).toMatch(/1 problem: exported as is, but 'hookline serve' refuses it until fixed/);
    expect(await app.tid('bundle-flow-problems-relay').count()).toBe(0);
    await app.tid('bundle-export').click();
    const problem = app.tid('bundle-export-problem-0');
    await expect.poll(() => problem.textContent()).toContain('flows.relay.nodes[1].settings.headers[0].value: holds a plaintext credential for header "Authorization"');
    expect(await app.tid('bundle-export-problems').textContent()).not.toContain('typed-TOKEN');
    await app.screenshot('bundle-export-credential');
    await app.tid('bundle-export-problem-show-0').click();
    await app.tid('bundle-export-dialog').waitFor({ state: 'detached' });
    await expect.poll(() => app.tid('inspector-name').getAttribute('placeholder')).toBe('Web Integration');
  });

  it('import says an existing connection was kept, not imported', async () => {
    const { app } = s;
    await app.tid('bundle-import-open').click();
    await app.tid('bundle-file').setInputFiles({ name: 'theirs.bundle.json', mimeType: 'application/json', buffer: Buffer.from(theirs) });
    await app.tid('bundle-conflict-rename').check();
    await app.tid('bundle-import').click();
    await expect.poll(() => app.tid('bundle-result').textContent()).toContain('Imported 1 flow; kept 1 existing connection.');
    await expect.poll(() => app.tid('bundle-kept-erp').textContent()).toContain("the imported flows use this studio's connection");
    await app.screenshot('bundle-import-kept');
    await app.tid('bundle-close').click();
  });
});
