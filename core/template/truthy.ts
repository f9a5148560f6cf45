/**
 * Truthiness for `{{#if}}`, the same as JSONata's `$boolean`: empty strings, 0, null, empty arrays,
 * empty objects and functions are false; an array is true when any of its items is.
 * @example
 * truthy([0, '']); // false
 */
export function truthy(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  switch (typeof v) {
    case 'boolean': return v;
    case 'string': return v.length > 0;
    case 'number': return v !== 0 && !Number.isNaN(v);
    case 'function': return false;
    case 'object':
      if (Array.isArray(v)) return v.some(truthy);
      return Object.keys(v).length > 0;
    default: return true;
  }
}
