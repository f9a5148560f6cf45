import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FileSecretStore } from '../../core/secrets/env-store';
import { jsonErrorLocation } from '../../core/secrets/json-error';
import { tempDir } from '../helpers/runtime';

function secretsFile(text: string): string {
  const file = path.join(tempDir(), 'secrets.json');
  fs.writeFileSync(file, text, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return file;
}

function errorOf(file: string): string {
  try {
    new FileSecretStore(file);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the store accepted the file');
}

describe('a malformed secrets file', () => {
  it('is reported by line and column, never with its content (the QA case)', () => {
    const file = secretsFile('{"A": "x", "HOOK_PASS": hook-pw-SECRET8}');
    const message = errorOf(file);
    expect(message).toBe(`secrets file ${file} is not valid JSON (line 1, column 25); its content is not shown because it holds secrets`);
    expect(message).not.toMatch(/hook-pw|SECRET8|OK_PASS/);
  });

  it('counts lines and columns for every kind of syntax error', () => {
    const cases: Array<[string, number, number]> = [
      ['{\n  "A": "x",\n  "B": secret-value\n}', 3, 8], // unexpected token, no position in the message
      ['{\n  "A": "x"\n  "B": "y"\n}', 3, 3], // "at position N" in the message
      ['{"A": "x",', 1, 11], // cut off
      ['[1,]', 1, 4],
      ['{"A": "x"}}', 1, 11],
    ];
    for (const [text, line, column] of cases) {
      expect(jsonErrorLocation(text), text).toEqual({ line, column });
      const message = errorOf(secretsFile(text));
      expect(message).toContain(`(line ${line}, column ${column})`);
      expect(message).not.toMatch(/secret-value|"y"/);
    }
    expect(jsonErrorLocation('{"A": "x"}')).toBeUndefined();
  });

  it('points at the offending character wherever it is (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('A', 'B_2', 'PASS'), fc.string()), fc.nat(), fc.constantFrom('x', '}', ':', 'q'), (obj, at, junk) => {
        const valid = JSON.stringify(obj, null, 1);
        const cut = at % (valid.length - 1) + 1;
        const text = valid.slice(0, cut) + junk + valid.slice(cut);
        const loc = jsonErrorLocation(text);
        if (!loc) return; // the junk happened to fall inside a string
        const offset = text.split('\n').slice(0, loc.line - 1).reduce((n, l) => n + l.length + 1, 0) + loc.column - 1;
        // The error is reported at or after the inserted character, and never past it by more than the rest of a literal.
        expect(offset).toBeGreaterThanOrEqual(Math.min(cut, text.length));
        expect(offset).toBeLessThanOrEqual(text.length);
      }),
    );
  });
});
