/**
 * Repairs commas in rendered JSON whose structure came from blocks: `{{#each}}` items are joined with
 * commas and an `{{#if}}` may drop a member, so a comma can end up doubled, first in a container or last
 * before `]` / `}`. Such commas are dropped; text inside strings is never touched. Values inserted by
 * tokens are always complete JSON, so tracking quotes and backslashes is enough to know what is a string.
 * @example
 * repairJsonCommas('[ ,{"a":1},, {"a":2}, ]'); // '[ {"a":1}, {"a":2} ]'
 */
export function repairJsonCommas(s: string): string {
  let out = '';
  let from = 0;
  let inString = false;
  let last = ''; // last significant character written outside strings
  let lastCommaAt = -1; // index in `out` of a comma that may still need removing
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
      last = '"';
    } else if (c === 0x2c) {
      if (last === ',' || last === '[' || last === '{' || last === '') {
        out += s.slice(from, i); // drop this comma
        from = i + 1;
      } else {
        out += s.slice(from, i + 1);
        from = i + 1;
        lastCommaAt = out.length - 1;
        last = ',';
      }
    } else if (c === 0x5d || c === 0x7d) {
      if (last === ',') {
        out += s.slice(from, i);
        from = i;
        out = out.slice(0, lastCommaAt) + out.slice(lastCommaAt + 1);
      }
      last = s[i];
    } else if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
      last = s[i];
    }
  }
  return out + s.slice(from);
}
