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
    for (const c of ['hookline run', 'hookline validate', 'hookline studio', 'npm run studio', 'npm test']) expect(README).toContain(c);
  });
});
