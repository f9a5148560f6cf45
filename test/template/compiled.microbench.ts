/**
 * Micro-benchmark: the transform bench's ORDER_MAPPING evaluated by the compiled closures vs by JSONata,
 * interleaved in one process (rounds alternate, medians reported). Not part of the test run:
 *   flock /tmp/bench.lock npx tsx test/template/compiled.microbench.ts
 */
import jsonata from 'jsonata';
import { compileExpression } from '../../core/template/expression';
import { ORDER_MAPPING } from '../bench/lib/mapping';
import { sampleOrder } from '../bench/sections/request-response';

const ROUNDS = 12;
const ROUND_MS = 250;

const compiled = compileExpression(ORDER_MAPPING);
if (!compiled.compiled) throw new Error('ORDER_MAPPING is expected to compile');
const viaJsonata = jsonata(ORDER_MAPPING);
const message = { data: sampleOrder, trigger: { type: 'webhook' }, vars: {} };
const bindings = { env: {}, vars: message.vars };

async function round(run: () => unknown): Promise<number> {
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ROUND_MS) {
    for (let i = 0; i < 100; i++) await run();
    n += 100;
    now = performance.now();
  }
  return (n / (now - start)) * 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const a = JSON.stringify(await compiled.evaluate(message, bindings));
const b = JSON.stringify(await viaJsonata.evaluate(message, bindings));
if (a !== b) throw new Error(`different answers:\n${a}\n${b}`);

const fast: number[] = [];
const slow: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  fast.push(await round(() => compiled.evaluate(message, bindings)));
  slow.push(await round(() => viaJsonata.evaluate(message, bindings)));
}
const f = median(fast);
const s = median(slow);
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
console.log(`ORDER_MAPPING compiled: ${fmt(f)} evals/s (${(1e6 / f).toFixed(2)} us each)`);
console.log(`ORDER_MAPPING jsonata:  ${fmt(s)} evals/s (${(1e6 / s).toFixed(2)} us each)`);
console.log(`speed-up: ${(f / s).toFixed(1)}x`);
