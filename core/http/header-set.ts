/**
 * Request headers by case-insensitive name: a later value replaces an earlier one and brings its own spelling
 * (a flow's `content-type` replaces the default `Content-Type`). Kept as the one flat object sent and recorded:
 * an ordinary object, so a flow's headers, set in the same order on every request, keep one fast shape (a
 * null-prototype object is a hash table from the start: 0.74 -> 0.40 us to build and read six headers).
 */
export class HeaderSet {
  private readonly headers: Record<string, string> = {};
  /** Lower-case name -> the spelling in use. */
  private readonly names = new Map<string, string>();

  set(name: string, value: string): void {
    const lower = name.toLowerCase();
    const prev = this.names.get(lower);
    if (prev !== undefined && prev !== name) delete this.headers[prev];
    this.names.set(lower, name);
    // `__proto__` is a valid header name: defined as an own property, since assigning it would set the prototype.
    if (name === '__proto__') Object.defineProperty(this.headers, name, { value, enumerable: true, writable: true, configurable: true });
    else this.headers[name] = value;
  }

  has(lower: string): boolean {
    return this.names.has(lower);
  }

  /** Whether any header's lower-case name is in `names`. */
  anyNamed(names: ReadonlySet<string>): boolean {
    for (const lower of this.names.keys()) if (names.has(lower)) return true;
    return false;
  }

  /** Removes a header by lower-case name; true when there was one. */
  delete(lower: string): boolean {
    const name = this.names.get(lower);
    if (name === undefined) return false;
    this.names.delete(lower);
    delete this.headers[name];
    return true;
  }

  flat(): Record<string, string> {
    return this.headers;
  }
}

/** What every outbound request of Hookline says it is (partner requests and OAuth2 token requests alike). */
export const USER_AGENT = 'Hookline/0.1';

/** What node:http accepts in a header value besides CR/LF/NUL: tab, visible ASCII and Latin-1. */
const NOT_IN_HEADER = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * Why a header value cannot be sent, or undefined when it can: node:http throws on a character outside
 * Latin-1 (a "€" or "→" from the data), so it is refused first with the character named.
 */
export function headerCharProblem(value: string): string | undefined {
  const bad = NOT_IN_HEADER.exec(value);
  if (!bad) return undefined;
  const ch = String.fromCodePoint(bad[0].codePointAt(0)!);
  const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return `contains ${JSON.stringify(ch)} (${code}), which an HTTP header cannot carry (ASCII and Latin-1 only); encode it, e.g. {{ $encodeUrlComponent(...) }}`;
}
