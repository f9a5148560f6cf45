/**
 * Summarises a .cpuprofile written by `BENCH_PROFILE=1 npm run bench`: top functions by self time and the
 * share of time per source area (core/runtime, core/store, node:http, ...).
 *
 * Usage: node --import tsx test/bench/profile-summary.ts test-results/bench-profiles/rr-full.cpuprofile [top] [requests]
 * With `requests` (okTotal of that case in test-results/bench.json) the caller table also shows us per request.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

const file = process.argv[2];
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top]');
const top = Number(process.argv[3] ?? 25);
const requests = Number(process.argv[4] ?? 0);
const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
// Hookline servers run as esbuild bundles (like the CLI): name each bundled frame by the source module it came
// from, using the `// core/....ts` lines esbuild writes at the start of each module.
const bundles = new Map<string, { starts: number[]; modules: string[] } | null>();
function bundleMap(url: string) {
  if (!bundles.has(url)) {
    let map: { starts: number[]; modules: string[] } | null = null;
    try {
      const lines = fs.readFileSync(fileURLToPath(url), 'utf8').split('\n');
      map = { starts: [], modules: [] };
      lines.forEach((l, i) => {
        const m = /^\/\/ ((?:core|test)\/\S+\.ts)$/.exec(l);
        if (!m) return;
        map!.starts.push(i);
        map!.modules.push(m[1]);
      });
      if (map.starts.length === 0) map = null;
    } catch {
      map = null;
    }
    bundles.set(url, map);
  }
  return bundles.get(url);
}
for (const n of prof.nodes) {
  const url = n.callFrame.url;
  if (!url.startsWith('file:') || !url.endsWith('.mjs')) continue;
  const map = bundleMap(url);
  if (!map) continue;
  let lo = 0;
  let hi = map.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (map.starts[mid] <= n.callFrame.lineNumber) lo = mid;
    else hi = mid - 1;
  }
  if (map.starts[lo] <= n.callFrame.lineNumber) n.callFrame.url = `bundle:/${map.modules[lo]}`;
}
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const self = new Map<number, number>();
prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const idle = [...self].filter(([id]) => /\(idle\)|\(program\)|\(garbage collector\)/.test(byId.get(id)!.callFrame.functionName));

function area(url: string): string {
  const m = url.match(/\/(core\/[a-z-]+|test\/bench|node_modules\/[^/]+)/);
  if (m) return m[1];
  if (url.startsWith('node:')) return url.replace(/^node:internal\//, 'node:').split('/')[0];
  return url ? 'other' : '(native/vm)';
}
const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/work\/main\//, '')}:${n.callFrame.lineNumber + 1}`;

const fnSelf = new Map<string, number>();
const areaSelf = new Map<string, number>();
for (const [id, t] of self) {
  const n = byId.get(id)!;
  fnSelf.set(label(n), (fnSelf.get(label(n)) ?? 0) + t);
  const a = /^\(/.test(n.callFrame.functionName) ? n.callFrame.functionName : area(n.callFrame.url);
  areaSelf.set(a, (areaSelf.get(a) ?? 0) + t);
}
// Inclusive time per function: every sample counts once for each distinct function on its stack.
const incl = new Map<string, number>();
for (const [id, t] of self) {
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(byId.get(cur)!);
    if (seen.has(l)) continue;
    seen.add(l);
    incl.set(l, (incl.get(l) ?? 0) + t);
  }
}
const idleT = [...self].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((a, [, t]) => a + t, 0);
const busy = total - idleT;
// The child idles while the other servers take their turn, so shares of busy time are the useful figure.
const pct = (t: number) => `${((100 * t) / busy).toFixed(1).padStart(5)} % busy  ${(t / 1e6).toFixed(2).padStart(6)} s`;
const print = (title: string, m: Map<string, number>, n: number) => {
  console.log(`\n${title}`);
  for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${pct(t)}  ${k}`);
};
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(2)} s busy (not idle); program/gc ${pct(idle.reduce((a, [, t]) => a + t, 0) - idleT)}`);
print('self time by area', areaSelf, 15);
print('self time by function', fnSelf, top);
print('inclusive time (core/ functions)', new Map([...incl].filter(([k]) => / (bundle:\/)?core\//.test(k))), top);

// Node internals (socket writes, the HTTP parser, timers) billed to the nearest application or package frame
// that called them, so `writev` under the webhook reply counts for core/runtime/ingest, and the HTTP client's
// parsing for axios. Samples are wall-clock: a thread descheduled inside a syscall still counts there.
const owner = (url: string) => url.match(/\/(core\/[a-z-]+(?:\/[a-z-]+)?|test\/bench|node_modules\/[^/]+)/)?.[1];
const byCaller = new Map<string, number>();
for (const [id, t] of self) {
  const fn = byId.get(id)!.callFrame.functionName;
  if (fn === '(idle)') continue;
  let k: string | undefined;
  for (let cur: number | undefined = id; cur !== undefined && !k; cur = parent.get(cur)) k = owner(byId.get(cur)!.callFrame.url);
  k ??= /^\(/.test(fn) ? fn : 'node internals without an application caller';
  byCaller.set(k, (byCaller.get(k) ?? 0) + t);
}
console.log(`\nbusy time by nearest application caller${requests ? ` (per request over ${requests})` : ''}`);
for (const [k, t] of [...byCaller].sort((a, b) => b[1] - a[1]).slice(0, 15))
  console.log(`${pct(t)}${requests ? `  ${(t / requests).toFixed(0).padStart(5)} us/req` : ''}  ${k}`);
