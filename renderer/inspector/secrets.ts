/** Secret names are environment-variable-like: uppercase letters, digits and "_", not starting with a digit. */
export function secretName(...parts: string[]): string {
  const s = parts
    .join('_')
    .toUpperCase()
    .replace(/[^A-Z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
  return /^[0-9]/.test(s) ? `S_${s}` : s || 'SECRET';
}

export function shortId(): string {
  return Math.random().toString(36).slice(2, 8);
}
