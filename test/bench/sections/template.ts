import { compileTemplate } from '../../../core/template';
import { benchConfig } from '../lib/config';
import { runCpuInterleaved, type CpuResult } from '../lib/cpu-slices';
import { ERP_TEMPLATE, buildErpXml, itscopeEvent } from '../lib/erp-xml';
import { int } from '../lib/format';
import type { Row, Section } from '../types';

const NAME = 'template';
const MIN_RATE = 100_000;
const MIN_RATIO = 0.25;

const summary = (r: CpuResult) => `${int(r.opsPerSec)} renders/s  ${int(r.nsPerOp)} ns/render`;
const values = (r: CpuResult) => ({ rendersPerSec: Math.round(r.opsPerSec), nsPerRender: Math.round(r.nsPerOp), renders: r.ops, seconds: Math.round(r.elapsedS * 100) / 100 });

/**
 * ITscope event -> ERP XML (9 fields, 5 order lines through {{#each}}), compiled once, against a hand-written
 * string builder with the same escaping. CPU only, so both run in this process and take turns in slices.
 */
export const templateSection: Section = {
  name: NAME,
  description: 'ITscope event -> ERP XML template renders/s vs hand-written string building',
  async run() {
    const compiled = compileTemplate(ERP_TEMPLATE, { kind: 'xml' });
    if (!compiled.sync) throw new Error('the ERP template compiled to an async renderer (expected the simple-path fast path)');
    // A few distinct events, so neither side renders one object over and over.
    const events = Array.from({ length: 8 }, (_, i) => itscopeEvent(i));
    const contexts = events.map((data) => ({ data }));
    for (let i = 0; i < events.length; i++) {
      const a = compiled.render(contexts[i]);
      const b = buildErpXml(events[i]);
      if (a !== b) throw new Error(`template and hand-written XML differ for event ${i}:\n--- template\n${String(a)}\n--- hand-written\n${b}`);
    }
    const results = runCpuInterleaved(
      [
        { name: 'hand', op: (n) => buildErpXml(events[n & 7]) },
        { name: 'template', op: (n) => compiled.render(contexts[n & 7]) as string },
      ],
      { warmupSeconds: benchConfig.warmupSeconds, seconds: benchConfig.seconds, sliceSeconds: Math.min(1, benchConfig.seconds) },
    );
    const hand = results.get('hand')!;
    const tpl = results.get('template')!;
    const ratio = tpl.opsPerSec / hand.opsPerSec;
    return [
      { section: NAME, label: 'hand-written string building', result: summary(hand), values: values(hand), note: 'baseline (same bytes, checked)' },
      {
        section: NAME,
        label: 'compileTemplate (xml, 9 fields + 5 lines)',
        result: summary(tpl),
        values: { ...values(tpl), ratio: Math.round(ratio * 1000) / 1000 },
        ratio,
        target: `>= ${int(MIN_RATE)} renders/s and >= ${MIN_RATIO}x hand-written`,
        met: tpl.opsPerSec >= MIN_RATE && ratio >= MIN_RATIO,
      },
    ] satisfies Row[];
  },
};
