/**
 * A small RFC 4180 CSV reader: quoted fields, `""` as an escaped quote, delimiters and line breaks
 * inside quotes, CRLF / LF / CR record ends, an optional header row. Pure and browser-safe (no node:*),
 * so the studio could preview with it too.
 */
export interface CsvOptions {
  /** One character, not a quote or a line break (default `,`). */
  delimiter?: string;
  /** The first record names the columns: rows become objects (default true). */
  header?: boolean;
  /** Records with no characters at all are dropped (default true). */
  skipEmptyLines?: boolean;
}

export class CsvError extends Error {
  constructor(
    message: string,
    public readonly line: number,
    public readonly column: number,
  ) {
    super(`CSV line ${line}, column ${column}: ${message}`);
    this.name = 'CsvError';
  }
}

/**
 * Splits CSV text into records of string fields, with the 1-based line each record starts on.
 * @example
 * readCsvRecords('a,"b ""c"""\r\n1,2'); // [{ line: 1, fields: ['a', 'b "c"'] }, { line: 2, fields: ['1', '2'] }]
 */
export function readCsvRecords(text: string, delimiter = ','): Array<{ line: number; fields: string[] }> {
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n') throw new Error('delimiter must be one character other than a quote or a line break');
  const records: Array<{ line: number; fields: string[] }> = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let lineStart = i;
  let fields: string[] = [];
  let recordLine = 1;
  // Whether the current record has started (so a trailing line break does not add an empty record).
  let started = false;
  while (i < n) {
    if (!started) {
      started = true;
      recordLine = line;
    }
    let field: string;
    if (text[i] === '"') {
      const openLine = line;
      const openCol = i - lineStart + 1;
      let out = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) throw new CsvError('quoted field is never closed', openLine, openCol);
        out += text.slice(j, q);
        // Line breaks inside quotes are data, but they still move the line counter for later messages.
        for (let k = j; k < q; k++) {
          const c = text.charCodeAt(k);
          if (c === 10 || (c === 13 && text.charCodeAt(k + 1) !== 10)) {
            line++;
            lineStart = k + 1;
          }
        }
        if (text[q + 1] === '"') {
          out += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      const next = text[i];
      if (i < n && next !== delimiter && next !== '\r' && next !== '\n')
        throw new CsvError(`unexpected ${JSON.stringify(next)} after a closing quote (a quote inside a quoted field is written "")`, line, i - lineStart + 1);
      field = out;
    } else {
      let j = i;
      while (j < n) {
        const c = text[j];
        if (c === delimiter || c === '\r' || c === '\n') break;
        j++;
      }
      field = text.slice(i, j);
      i = j;
    }
    fields.push(field);
    if (i >= n) break;
    const c = text[i];
    if (c === delimiter) {
      i++;
      // A delimiter at the very end still means one more (empty) field.
      if (i >= n) fields.push('');
      continue;
    }
    // A record ends: CRLF, LF or a lone CR.
    i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    line++;
    lineStart = i;
    records.push({ line: recordLine, fields });
    fields = [];
    started = false;
  }
  if (started) records.push({ line: recordLine, fields });
  return records;
}

/**
 * Parses CSV into objects keyed by the header row (or arrays of strings without one). Keys are own data
 * properties even when a column is called `__proto__`, so no input reaches Object.prototype. A row with
 * fewer fields than the header gets `''` for the rest; a row with more is an error (data would be lost).
 * @example
 * parseCsv('id;name\n1;"Smith; J."', { delimiter: ';' }); // [{ id: '1', name: 'Smith; J.' }]
 */
export function parseCsv(text: string, opts: CsvOptions = {}): Array<Record<string, string>> | string[][] {
  const records = readCsvRecords(text, opts.delimiter ?? ',').filter((r) => !(opts.skipEmptyLines ?? true) || r.fields.length > 1 || r.fields[0] !== '');
  if (!(opts.header ?? true)) return records.map((r) => r.fields);
  if (!records.length) return [];
  const names = uniqueNames(records[0].fields);
  const rows: Array<Record<string, string>> = [];
  for (let r = 1; r < records.length; r++) {
    const { fields, line } = records[r];
    if (fields.length > names.length) throw new CsvError(`row has ${fields.length} fields but the header names ${names.length}`, line, 1);
    const row: Record<string, string> = {};
    for (let c = 0; c < names.length; c++) setOwn(row, names[c], c < fields.length ? fields[c] : '');
    rows.push(row);
  }
  return rows;
}

/** Empty and repeated header names get a suffix (`amount`, `amount_2`; `column_3`), so no column is dropped. */
function uniqueNames(header: string[]): string[] {
  const seen = new Set<string>();
  return header.map((raw, idx) => {
    const base = raw === '' ? `column_${idx + 1}` : raw;
    let name = base;
    for (let k = 2; seen.has(name); k++) name = `${base}_${k}`;
    seen.add(name);
    return name;
  });
}

function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  // Plain assignment is fine for every key but `__proto__`, whose setter would swap the object's prototype.
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
