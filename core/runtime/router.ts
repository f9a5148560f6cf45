import { routeShape } from '../model/validate';

/** One immutable route table; deploys build a new one and swap it in whole, so routing is never half-updated. */
export interface RouteMatch<T> {
  target?: T;
  params: Record<string, string>;
  /** Methods the path answers to, for 405 `Allow`; empty when no route has this path. */
  allowed: string[];
}

interface ParamRoute<T> {
  segments: string[];
  methods: Map<string, T>;
}

export class Router<T> {
  private readonly exact = new Map<string, Map<string, T>>();
  private readonly params: ParamRoute<T>[] = [];

  /** Returns the id of a conflicting entry's target, if one already serves this method and path shape. */
  add(method: string, path: string, target: T): T | undefined {
    const norm = normalise(path);
    if (!norm.includes('/:')) {
      const m = this.exact.get(norm) ?? new Map<string, T>();
      if (m.has(method)) return m.get(method);
      m.set(method, target);
      this.exact.set(norm, m);
      return undefined;
    }
    const shape = routeShape(norm);
    let route = this.params.find((r) => routeShape(r.segments.join('/')) === shape);
    if (!route) {
      route = { segments: norm.split('/'), methods: new Map() };
      this.params.push(route);
    }
    if (route.methods.has(method)) return route.methods.get(method);
    route.methods.set(method, target);
    return undefined;
  }

  /**
   * The target for a method and path. HEAD is answered by the GET target unless the path has a HEAD one, as HTTP
   * servers do (RFC 9110: the same header fields as GET; node:http leaves the body out).
   */
  match(method: string, path: string): RouteMatch<T> {
    const norm = normalise(path);
    const m = this.exact.get(norm);
    if (m) return { target: pick(m, method), params: {}, allowed: allowedOf(m) };
    const parts = norm.split('/');
    for (const r of this.params) {
      if (r.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        const seg = r.segments[i];
        if (seg.startsWith(':')) {
          if (!parts[i]) {
            ok = false;
            break;
          }
          params[seg.slice(1)] = safeDecode(parts[i]);
        } else if (seg !== parts[i]) {
          ok = false;
          break;
        }
      }
      if (ok) return { target: pick(r.methods, method), params, allowed: allowedOf(r.methods) };
    }
    return { params: {}, allowed: [] };
  }
}

function pick<T>(methods: Map<string, T>, method: string): T | undefined {
  return methods.get(method) ?? (method === 'HEAD' ? methods.get('GET') : undefined);
}

/** The methods a path answers, for 405 `Allow`: HEAD wherever GET is. */
function allowedOf(methods: Map<string, unknown>): string[] {
  const out = [...methods.keys()];
  if (methods.has('GET') && !methods.has('HEAD')) out.splice(out.indexOf('GET') + 1, 0, 'HEAD');
  return out;
}

function normalise(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
