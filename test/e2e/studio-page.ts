import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { startStudio } from '../../core/host/studio';

export const SCREENSHOT_DIR = path.resolve('test-results/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Debian Chromium with a fresh profile (never `npx playwright install`). `deviceScaleFactor` 2 gives screenshots
 * sharp enough to judge small text on a zoomed-out canvas; the page's layout is the same.
 */
export async function launchBrowser(opts: { deviceScaleFactor?: number } = {}): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-e2e-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--headless'],
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: opts.deviceScaleFactor,
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A browser (see launchBrowser) with the studio's page object; the page's errors go to the test output, and
 * `timeoutMs` sets how long locators wait by default.
 */
export async function studioBrowser(opts: { deviceScaleFactor?: number; timeoutMs?: number } = {}): Promise<{ browser: Awaited<ReturnType<typeof launchBrowser>>; app: StudioPage }> {
  const browser = await launchBrowser(opts);
  if (opts.timeoutMs) browser.page.setDefaultTimeout(opts.timeoutMs);
  browser.page.on('pageerror', (e) => console.error('[page error]', e.message));
  return { browser, app: new StudioPage(browser.page) };
}

type Studio = Awaited<ReturnType<typeof startStudio>>;

/** A flow document whose nodes run left to right, 300 px apart, each linked to the next (`e1`, `e2`, ...). */
export function linearFlow(id: string, name: string, nodes: Array<{ id: string; type: string; settings: object }>): object {
  return {
    formatVersion: 1,
    id,
    name,
    nodes: nodes.map((n, i) => ({ ...n, position: { x: i * 300, y: 0 } })),
    edges: nodes.slice(1).map((n, i) => ({ id: `e${i + 1}`, source: nodes[i].id, target: n.id })),
  };
}

/**
 * The studio on a fresh data directory with `flows` saved (after `before`, e.g. secrets they need), and a browser on
 * it (unless `open` is false); `close()` ends all of it.
 */
export async function openStudio(o: { prefix: string; flows?: object[]; before?(studio: Studio): Promise<void>; open?: boolean; deviceScaleFactor?: number }) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `hookline-e2e-${o.prefix}-`));
  const studio = await startStudio({ dataDir, port: 0, staticDir: 'dist/renderer' });
  await o.before?.(studio);
  for (const f of o.flows ?? []) await studio.api.saveFlow(f as never);
  const { browser, app } = await studioBrowser({ timeoutMs: 10_000, deviceScaleFactor: o.deviceScaleFactor });
  if (o.open !== false) await app.open(studio.url);
  return {
    studio,
    dataDir,
    browser,
    app,
    async close() {
      await browser.close();
      await studio.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Page object for the studio: one place that knows the test ids. */
export class StudioPage {
  constructor(readonly page: Page) {}

  tid(id: string): Locator {
    return this.page.getByTestId(id);
  }

  async open(url: string) {
    await this.page.goto(url);
    await this.waitReady();
  }

  async waitReady() {
    await this.page.locator('[data-testid="app"][data-app-state="ready"]').waitFor({ timeout: 30_000 });
  }

  async screenshot(name: string) {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await this.page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
  }

  node(id: string): Locator {
    return this.tid(`node-${id}`);
  }

  /** HTML5 drag from the palette onto the canvas at a point relative to the canvas. */
  async dragFromPalette(type: string, x: number, y: number) {
    await this.tid(`palette-${type}`).dragTo(this.tid('canvas'), { targetPosition: { x, y } });
  }

  async connect(source: string, target: string, sourcePort = 'out', targetPort = 'in') {
    const from = await this.tid(`handle-out-${source}-${sourcePort}`).boundingBox();
    const to = await this.tid(`handle-in-${target}-${targetPort}`).boundingBox();
    if (!from || !to) throw new Error(`handles of ${source} -> ${target} not visible`);
    const m = this.page.mouse;
    await m.move(from.x + from.width / 2, from.y + from.height / 2);
    await m.down();
    await m.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
    await m.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 5 });
    await m.up();
  }

  async select(nodeId: string) {
    // Like a user: when the node is panned out of sight, fit the view first.
    const box = await this.node(nodeId).boundingBox();
    const pane = await this.tid('canvas').boundingBox();
    if (!box || !pane || box.x < pane.x || box.x + box.width > pane.x + pane.width || box.y < pane.y || box.y + box.height > pane.y + pane.height) {
      await this.page.locator('.react-flow__controls-fitview').click();
      await this.page.waitForTimeout(350); // the fit is animated
    }
    await this.node(nodeId).locator('.hl-node-head').click();
    await this.tid('inspector-name').waitFor();
  }

  edges(): Locator {
    return this.page.locator('.react-flow__edge');
  }

  /** Focuses the Monaco editor of a field (waiting for the lazy chunk). */
  async monaco(fieldTestId: string): Promise<Locator> {
    const ed = this.tid(`${fieldTestId}-monaco`).locator('.monaco-editor');
    await ed.waitFor({ timeout: 30_000 });
    await ed.locator('.view-lines').click();
    return ed;
  }
}
