/**
 * A Map for values derived from a few recurring inputs (content types, target URLs, time zones, node ids): once
 * it holds `max` entries, adding a new one forgets the rest, so inputs that come from data cannot grow it without
 * bound. Browser-safe.
 *
 * @example
 * const parsed = new BoundedMap<string, URL>(500);
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (this.size >= this.max && !this.has(key)) this.clear();
    return super.set(key, value);
  }
}
