/**
 * `npm run bench`: runs each section (its servers in child processes, the load from here) and prints one
 * table with every figure, its ratio to the baseline measured in the same run and the target. Targets are
 * reported, never enforced: the exit code only says whether the bench itself could run.
 *
 * Env: BENCH_ONLY=<section>[,<section>]  BENCH_SECONDS=5  BENCH_WARMUP_SECONDS=1  BENCH_CONCURRENCY=32
 *      BENCH_MAX_REQUESTS=1000000  BENCH_PROFILE=1 (CPU profiles of the Hookline children in test-results/bench-profiles)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { profileDir } from './lib/child';
import { benchConfig } from './lib/config';
import { ratio } from './lib/format';
import { orderedIngestSection } from './sections/ordered-ingest';
import { relaySection } from './sections/relay';
import { requestResponseSection } from './sections/request-response';
import { studioSection } from './sections/studio';
import { templateSection } from './sections/template';
import { transformSection } from './sections/transform';
import type { Row, Section } from './types';

/** Add new sections here; they run in this order. */
const sections: Section[] = [requestResponseSection, orderedIngestSection, templateSection, transformSection, relaySection, studioSection];

function selected(): Section[] {
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
  if (!only?.length) return sections;
  const unknown = only.filter((n) => !sections.some((s) => s.name === n));
  if (unknown.length) throw new Error(`BENCH_ONLY: unknown section "${unknown.join('", "')}" (known: ${sections.map((s) => s.name).join(', ')})`);
  return sections.filter((s) => only.includes(s.name));
}

function table(rows: Row[]): string {
  const head = ['section', 'case', 'result', 'ratio', 'target', 'met'];
  const cells = rows.map((r) => [r.section, r.label, r.result, ratio(r.ratio), r.target ?? r.note ?? '', r.met === undefined ? '' : r.met ? 'yes' : 'NO']);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i])).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

async function main() {
  const cpus = os.cpus();
  const machine = `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown'}), node ${process.version}, ${os.platform()} ${os.release()}`;
  console.log(`Hookline bench: ${machine}`);
  console.log(
    `each case: warm-up in ${benchConfig.warmupSeconds} s windows while it still gets faster (at most ${benchConfig.warmupMaxSeconds} s) + ${benchConfig.seconds} s measured, ${benchConfig.concurrency} keep-alive connections; ` +
      `server in a child process, load generator in this one (they share the ${cpus.length} cores)\n`,
  );
  const rows: Row[] = [];
  const failures: string[] = [];
  for (const s of selected()) {
    const t0 = Date.now();
    process.stdout.write(`- ${s.name}: ${s.description} ... `);
    try {
      const got = await s.run();
      rows.push(...got);
      console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } catch (err) {
      console.log('FAILED');
      console.error(err);
      failures.push(`${s.name}: ${String((err as Error)?.message ?? err)}`);
      rows.push({ section: s.name, label: 'section failed', result: String((err as Error)?.message ?? err).split('\n')[0], values: {} });
    }
  }
  console.log(`\n${table(rows)}\n`);
  console.log('Targets are reported, not enforced. Baseline and Hookline servers take turns in 1 s slices within this run, so background load hits both alike.');
  const out = path.resolve('test-results', 'bench.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), machine, config: benchConfig, rows, failures }, null, 2) + '\n');
  console.log(`written ${path.relative(process.cwd(), out)}`);
  if (benchConfig.profile && fs.existsSync(profileDir)) {
    console.log(`CPU profiles (main thread is the *.0.001.cpuprofile in each folder): ${path.relative(process.cwd(), profileDir)}`);
    console.log('  summarise: node --import tsx test/bench/profile-summary.ts <file> [top]');
  }
  // Only a bench that could not run fails; a missed target does not.
  if (failures.length) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
