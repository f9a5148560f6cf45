import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudio } from '../../core/host/studio';
import { launchBrowser, studioBrowser, SCREENSHOT_DIR, StudioPage } from './studio-page';

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/**
 * Item counts on edges after a run stay readable when cards sit close together: whole where there is room, the
 * bare number on a short wire, hidden between two cards almost touching and shown above them on hover or
 * selection; never under a card or cut off. (HOOKLINE_E2E_STATIC_DIR serves another build of the studio.)
 */
describe('edge labels between cards close together', () => {
  let studio: Awaited<ReturnType<typeof startStudio>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let app: StudioPage;
  let dataDir: string;
  const W = 220; // a card's width (canvas.css)

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-e2e-edge-labels-'));
    studio = await startStudio({ dataDir, port: 0, staticDir: process.env.HOOKLINE_E2E_STATIC_DIR ?? 'dist/renderer' });
    await studio.api.saveFlow({
      formatVersion: 1,
      id: 'tight',
      name: 'Tight layout',
      nodes: [
        { id: 'hook', type: 'webhook', position: { x: 0, y: 0 }, settings: { methods: ['POST'], path: '/e2e/tight' } },
        // 32 px right of the webhook, in line with it: the wire between them is too short for any label.
        { id: 'near', type: 'log', position: { x: W + 32, y: 0 }, settings: { message: 'near' } },
        // 48 px further and a little lower: room for the number only.
        { id: 'mid', type: 'log', position: { x: 2 * W + 80, y: 64 }, settings: { message: 'mid' } },
        // 160 px further: room for the whole label.
        { id: 'far', type: 'respond', position: { x: 3 * W + 240, y: 64 }, settings: {} },
      ],
      edges: [
        { id: 'e-short', source: 'hook', target: 'near' },
        { id: 'e-mid', source: 'near', target: 'mid' },
        { id: 'e-long', source: 'mid', target: 'far' },
      ],
    } as never);
    ({ browser, app } = await studioBrowser({ deviceScaleFactor: 2, timeoutMs: 10_000 }));
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** A screenshot of the cards and what is around them (the full page makes the labels too small to judge). */
  async function shot(name: string) {
    const boxes = (await Promise.all(['hook', 'far'].map((id) => app.node(id).boundingBox()))) as Box[];
    const x = Math.max(0, boxes[0].x - 40);
    const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - 60);
    const right = boxes[1].x + boxes[1].width + 40;
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await app.page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), clip: { x, y, width: right - x, height: 260 } });
  }

  const label = (edgeId: string) => app.tid(`edge-label-${edgeId}`);
  const cardBoxes = async () => (await Promise.all(['hook', 'near', 'mid', 'far'].map((id) => app.node(id).boundingBox()))) as Box[];

  /** The label is shown, its text fits its box, and it covers no card. */
  async function expectReadable(l: Locator, text: string) {
    await expect.poll(() => l.isVisible()).toBe(true);
    expect(await l.textContent()).toBe(text);
    expect(await l.evaluate((el) => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight)).toBe(true);
    const b = (await l.boundingBox())!;
    for (const c of await cardBoxes()) expect(overlap(b, c), `label "${text}" over a card`).toBe(false);
  }

  it('shows each count whole, short or on demand, never over a card', async () => {
    await app.open(studio.url);
    await app.tid('flow-item-tight').click();
    await app.node('far').waitFor();
    await studio.api.runFlow('tight', { name: 'Ada' });
    await expect.poll(() => app.page.locator('.react-flow__edge.edge-ran').count()).toBe(3);
    await app.page.waitForTimeout(300);
    await shot('edge-labels-01-after-run');

    // Room enough: the whole label, in the middle of the wire.
    await expect.poll(() => label('e-long').getAttribute('data-mode')).toBe('full');
    await expectReadable(label('e-long'), '1 item');
    // A short wire: the number only.
    await expect.poll(() => label('e-mid').getAttribute('data-mode')).toBe('compact');
    await expectReadable(label('e-mid'), '1');
    // Cards almost touching: hidden ...
    await expect.poll(() => label('e-short').getAttribute('data-mode')).toBe('hidden');
    await expect(label('e-short').isVisible()).resolves.toBe(false);

    // ... and shown whole, above the cards, while the wire is hovered (between the two handles).
    const from = (await app.tid('handle-out-hook-out').boundingBox())!;
    const to = (await app.tid('handle-in-near-in').boundingBox())!;
    await app.page.mouse.move((from.x + from.width + to.x) / 2, from.y + from.height / 2);
    await expect.poll(() => label('e-short').isVisible()).toBe(true);
    expect(await label('e-short').textContent()).toBe('1 item');
    expect(await label('e-short').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    // Above the cards (a selected card is at z-index 1000). The test project has no DOM types: the page's window.
    const zIndex = (el: unknown) => Number((globalThis as unknown as { getComputedStyle(e: unknown): { zIndex: string } }).getComputedStyle(el).zIndex);
    expect(await label('e-short').evaluate(zIndex)).toBeGreaterThan(1000);
    await shot('edge-labels-02-hover-short-wire');
    await app.page.mouse.move(5, 5);
    await expect.poll(() => label('e-short').isVisible()).toBe(false);

    // Selecting a card shows the counts of its wires whole.
    await app.select('near');
    await expect.poll(() => label('e-short').isVisible()).toBe(true);
    await expect.poll(() => label('e-mid').textContent()).toBe('1 item');
    await shot('edge-labels-03-card-selected');
    await app.page.keyboard.press('Escape');
  });

  it('keeps the labels off the cards while a card is dragged closer', async () => {
    await app.page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
    // The whole flow on screen (it opens at a readable zoom, from its start), so the last card can be dragged.
    await app.page.locator('.react-flow__controls-fitview').click();
    await app.page.waitForTimeout(350); // the fit is animated
    await expect.poll(() => label('e-short').isVisible()).toBe(false);
    // Drag the last card right next to its neighbour: its label gives up room step by step.
    const far = (await app.node('far').boundingBox())!;
    const mid = (await app.node('mid').boundingBox())!;
    const head = app.node('far').locator('.hl-node-head');
    const hb = (await head.boundingBox())!;
    const m = app.page.mouse;
    await m.move(hb.x + 20, hb.y + hb.height / 2);
    await m.down();
    await m.move(hb.x + 20 - (far.x - (mid.x + mid.width)) + 40, hb.y + hb.height / 2, { steps: 8 });
    await m.up();
    await app.page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
    await expect.poll(() => label('e-long').getAttribute('data-mode')).not.toBe('full');
    if ((await label('e-long').getAttribute('data-mode')) === 'compact') await expectReadable(label('e-long'), '1');
    else await expect(label('e-long').isVisible()).resolves.toBe(false);
    await shot('edge-labels-04-dragged-close');
  });

  it('auto-layout leaves room for every label in full', async () => {
    await app.tid('auto-layout').click();
    for (const e of ['e-short', 'e-mid', 'e-long']) await expect.poll(() => label(e).getAttribute('data-mode')).toBe('full');
    await app.page.waitForTimeout(400); // the fit after the layout is animated
    for (const e of ['e-short', 'e-mid', 'e-long']) await expectReadable(label(e), '1 item');
    await shot('edge-labels-05-auto-layout');
  });
});
