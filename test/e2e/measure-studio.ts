/**
 * Studio performance numbers measured in Chromium (prints JSON; no assertions — speed belongs in
 * benchmarks, not tests). Run after a renderer build:
 *   node --import tsx test/e2e/measure-studio.ts
 * - navigation -> interactive canvas (`data-app-state="ready"` and the first node painted)
 * - frame times while panning a 300-node flow (p50 / p95 over requestAnimationFrame deltas)
 * - initial JS without Monaco (gzip bytes of the scripts loaded before any editor opens)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { startStudio } from '../../core/host/studio';
import { launchBrowser } from './studio-page';

function bigFlow(n: number) {
  const nodes = [{ id: 'w', type: 'webhook', position: { x: 0, y: 0 }, settings: { path: '/bench' } }];
  const edges: Array<{ id: string; source: string; target: string }> = [];
  for (let i = 1; i < n; i++) {
    nodes.push({ id: `n${i}`, type: i % 3 === 0 ? 'map' : 'log', position: { x: (i % 20) * 260, y: Math.floor(i / 20) * 120 }, settings: {} as never });
    edges.push({ id: `e${i}`, source: i === 1 ? 'w' : `n${i - 1}`, target: `n${i}` });
  }
  return { formatVersion: 1, id: 'bench-300', name: 'Bench 300', nodes, edges };
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-measure-'));
  fs.mkdirSync(path.join(dataDir, 'flows'), { recursive: true });
  const studio = await startStudio({ dataDir, port: 0, staticDir: 'dist/renderer' });
  const browser = await launchBrowser();
  try {
    const page = browser.page;
    const scripts: string[] = [];
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    const t0 = Date.now();
    await page.goto(studio.url);
    await page.locator('#root[data-app-state="ready"]').waitFor();
    await page.locator('.react-flow__pane').waitFor();
    const readyMs = Date.now() - t0;
    const initialGzip = scripts
      .filter((p) => !/Monaco|worker/i.test(p))
      .map((p) => path.join('dist/renderer', p.slice(p.indexOf('/assets/'))))
      .filter((f) => fs.existsSync(f))
      .reduce((sum, f) => sum + zlib.gzipSync(fs.readFileSync(f)).length, 0);

    await studio.api.saveFlow(bigFlow(300) as never);
    await page.evaluate("localStorage.setItem('hookline.lastFlow', 'bench-300')");
    await page.reload();
    await page.locator('#root[data-app-state="ready"]').waitFor();
    await page.locator('[data-testid="node-w"]').waitFor();
    const box = (await page.getByTestId('canvas').boundingBox())!;
    // A string, not a function: the TS loader would wrap named functions in helpers the page does not have.
    await page.evaluate(`(() => {
      window.__frames = [];
      let last = performance.now();
      const tick = (t) => { window.__frames.push(t - last); last = t; if (window.__frames.length < 100000) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    })()`);
    const m = page.mouse;
    await m.move(box.x + box.width / 2, box.y + box.height / 2);
    await m.down();
    for (let i = 0; i < 120; i++) await m.move(box.x + box.width / 2 + Math.sin(i / 10) * 300, box.y + box.height / 2 + Math.cos(i / 10) * 150);
    await m.up();
    const frames: number[] = ((await page.evaluate('window.__frames')) as number[]).slice(2);
    console.log(JSON.stringify({ navigationToReadyMs: readyMs, initialJsGzipBytes: initialGzip, pan300: { frames: frames.length, p50Ms: +pct(frames, 50).toFixed(1), p95Ms: +pct(frames, 95).toFixed(1) } }, null, 2));
  } finally {
    await browser.close();
    await studio.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

void main();
