import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv, readCsvRecords } from '../../core/nodes/parse/csv';

const rows = (text: string, delimiter = ',') => readCsvRecords(text, delimiter).map((r) => r.fields);

describe('CSV reader (RFC 4180)', () => {
  it('splits plain records and fields, with CRLF, LF or CR line ends and no empty record for a final line break', () => {
    expect(rows('a,b,c\r\n1,2,3\r\n')).toEqual([['a', 'b', 'c'], ['1', '2', '3']]);
    expect(rows('a,b\n1,2')).toEqual([['a', 'b'], ['1', '2']]);
    expect(rows('a,b\r1,2\r')).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('quoted fields keep delimiters, line breaks and escaped quotes', () => {
    expect(rows('"a,b","line1\r\nline2","say ""hi"""\n')).toEqual([['a,b', 'line1\r\nline2', 'say "hi"']]);
    expect(rows('"",x,""')).toEqual([['', 'x', '']]);
  });

  it('empty fields, a trailing delimiter and a delimiter before the line break', () => {
    expect(rows(',,\n1,,3,\n')).toEqual([['', '', ''], ['1', '', '3', '']]);
  });

  it('other delimiters: semicolon and tab', () => {
    expect(rows('a;"b;c"\n1;2', ';')).toEqual([['a', 'b;c'], ['1', '2']]);
    expect(rows('a\tb\n1\t2', '\t')).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('strips a UTF-8 BOM', () => {
    expect(rows('\ufeffid,name\n1,x')[0]).toEqual(['id', 'name']);
  });

  it('reports an unclosed quote at its opening position and text after a closing quote', () => {
    expect(() => rows('a,b\n1,"never closed\n2,3')).toThrow(new CsvError('quoted field is never closed', 2, 3));
    const err = (() => {
      try {
        rows('a\n"x"y,2');
      } catch (e) {
        return e as CsvError;
      }
    })();
    expect(err).toBeInstanceOf(CsvError);
    expect([err!.line, err!.column]).toEqual([2, 4]);
  });

  it('counts lines across quoted line breaks for later errors and record lines', () => {
    const recs = readCsvRecords('"a\nb",1\nc,2');
    expect(recs.map((r) => r.line)).toEqual([1, 3]);
    expect(() => rows('"a\r\nb",1\nc,"x"z')).toThrow(/line 3, column 6/);
  });

  it('refuses a delimiter that is a quote, a line break or longer than one character', () => {
    for (const d of ['"', '\n', ';;', '']) expect(() => readCsvRecords('a', d)).toThrow(/delimiter/);
  });
});

describe('parseCsv', () => {
  it('header row: objects keyed by column, missing trailing fields as empty strings, empty lines skipped', () => {
    expect(parseCsv('id,name,note\n1,Ann\n\n2,"Bo, B.",x\n')).toEqual([
      { id: '1', name: 'Ann', note: '' },
      { id: '2', name: 'Bo, B.', note: 'x' },
    ]);
  });

  it('a row with more fields than the header fails with its line', () => {
    expect(() => parseCsv('a,b\n1,2\n1,2,3')).toThrow(/line 3.*3 fields but the header names 2/);
  });

  it('duplicate and empty header names get suffixes so no column is lost', () => {
    expect(parseCsv('x,x,,x\n1,2,3,4')).toEqual([{ x: '1', x_2: '2', column_3: '3', x_3: '4' }]);
  });

  it('without a header: arrays of strings', () => {
    expect(parseCsv('1,2\n3,4', { header: false })).toEqual([['1', '2'], ['3', '4']]);
    expect(parseCsv('', { header: false })).toEqual([]);
    expect(parseCsv('')).toEqual([]);
  });

  it('__proto__ and constructor columns are own data, Object.prototype untouched', () => {
    const out = parseCsv('__proto__,constructor,polluted\n{"polluted":1},x,yes') as Array<Record<string, string>>;
    expect(Object.getPrototypeOf(out[0])).toBe(Object.prototype);
    expect(Object.keys(out[0])).toEqual(['__proto__', 'constructor', 'polluted']);
    expect(out[0]['__proto__' as 'x']).toBe('{"polluted":1}');
    expect(({} as any).polluted).toBeUndefined();
  });

  it('property: any grid of strings written with RFC 4180 quoting reads back the same', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', 'é', ';') , maxLength: 8 });
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 }), fc.boolean(), (grid, crlf) => {
        const quote = (f: string) => (/[",\r\n]/.test(f) || f === '' ? `"${f.replace(/"/g, '""')}"` : f);
        const text = grid.map((r) => r.map(quote).join(',')).join(crlf ? '\r\n' : '\n');
        expect(rows(text)).toEqual(grid);
      }),
      { numRuns: 2000 },
    );
  });
});
