/**
 * A key for a node's settings that changes exactly when the settings do: object keys sorted, so the same
 * settings written in another order (an import, a replaced object) give the same key.
 *
 * @example
 * settingsKey({ b: 1, a: [1, { d: 2, c: 3 }] }) === settingsKey({ a: [1, { c: 3, d: 2 }], b: 1 }); // true
 */
export function settingsKey(settings: unknown): string {
  return JSON.stringify(settings, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  ) ?? '';
}

/** A test result made with settings other than the node's current ones: shown dimmed, marked as from older settings. */
export function isStaleResult(testedWith: string | undefined, current: unknown): boolean {
  return testedWith !== undefined && testedWith !== settingsKey(current);
}
