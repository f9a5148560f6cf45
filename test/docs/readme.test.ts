import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { END, START, renderNodeReference } from '../../scripts/node-reference';

const README = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

describe('README', () => {
  it('node reference matches the node specs (run `npm run docs` after changing a spec)', () => {
    const section = README.slice(README.indexOf(START), README.indexOf(END) + END.length);
    expect(section).toBe(renderNodeReference());
  });

  it('documents every CLI command and the two quick-start commands', () => {
    for (const c of ['hookline run', 'hookline validate', 'hookline studio', 'hookline serve', 'hookline export', 'hookline exec', 'npm run studio', 'npm test', 'Run a bundle on a server']) expect(README).toContain(c);
  });
});

describe('published bundle JSON Schema', () => {
  it('is current and accepts a real bundle (ajv)', async () => {
    const { bundleJsonSchema, SCHEMA_FILE } = await import('../../scripts/bundle-schema');
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(bundleJsonSchema());
    const Ajv = (await import('ajv/dist/2020')).default;
    const ajv = new Ajv({ strict: false });
    const validate = ajv.compile(JSON.parse(bundleJsonSchema()));
    const { buildBundle } = await import('../../core/bundle/bundle');
    const { flowSchema } = await import('../../core/model/flow');
    const flow = flowSchema.parse({ formatVersion: 1, id: 'f', name: 'F', nodes: [{ id: 'h', type: 'webhook' }] });
    const b = JSON.parse(JSON.stringify(buildBundle({ name: 'x', flows: [flow] })));
    expect(validate(b), JSON.stringify(validate.errors)).toBe(true);
    b.kind = 'something-else';
    expect(validate(b)).toBe(false);
  });
});
