import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { buildXml } from '../../core/nodes/build-xml/run';
import { parseText } from '../../core/nodes/parse/run';
import { stripXmlForbidden } from '../../core/template/escape';

const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: fc.constantFrom('<', '>', '&', ']]>', '"', "'", '\t', '\n', '\r', '&amp;', '<!--', '\u2028', '\ud800', '\u0000', 'a', ' '), maxLength: 12 }),
);
const name = fc.constantFrom('a', 'b', 'Order', 'line_1', 'x-y', 'ns:el', '__proto__', 'constructor');
const xmlSettings = { format: 'xml' as const, delimiter: ',', header: true, maxDepth: 100 };

describe('Build XML (property)', () => {
  it('any text in elements and attributes gives well-formed XML that parses back to the same text', () => {
    fc.assert(
      fc.property(fc.dictionary(name, hostile, { maxKeys: 5 }), hostile, (elements, attr) => {
        const doc = buildXml({ ...elements, '@_note': attr }, { rootName: 'root', itemName: 'item', declaration: true, pretty: false });
        expect(XMLValidator.validate(doc)).toBe(true);
        const back = (parseText(doc, xmlSettings) as { root: Record<string, unknown> }).root;
        const norm = (s: string) => stripXmlForbidden(s).trim();
        expect(String(back['@_note'] ?? '').trim()).toBe(norm(attr));
        for (const [k, v] of Object.entries(elements)) expect(String(Object.hasOwn(back, k) ? back[k] : '').trim(), k).toBe(norm(v));
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 3000 },
    );
  });

  it('keys that are not XML names never reach the output', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), (key) => {
        let doc: string | undefined;
        try {
          doc = buildXml({ [key]: 1 }, { rootName: 'r', itemName: 'item', declaration: false, pretty: false });
        } catch (e) {
          expect((e as { code?: string }).code).toBe('build_failed');
          return;
        }
        expect(XMLValidator.validate(doc)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
