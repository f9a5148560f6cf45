import type { WireResult } from '../../core/host/transport-wire';

/**
 * JSON has no `undefined`: an argument left out in the middle (`runFlow(id, undefined, nodeId)`) would arrive as
 * `null`, which means something else. Their positions travel in a header and the server puts them back.
 */
export const UNDEFINED_ARGS_HEADER = 'X-Hookline-Undefined-Args';

function undefinedHeader(args: unknown[]): Record<string, string> {
  const at: number[] = [];
  args.forEach((a, i) => a === undefined && at.push(i));
  return at.length ? { [UNDEFINED_ARGS_HEADER]: at.join(',') } : {};
}

/**
 * One HostApi call over HTTP (`POST /api/<method>` with the token), answered with the wire envelope. Kept
 * free of the zod schemas in core/host/api so the page can issue its first calls before those are built.
 */
export function httpWireCall(base: string, token: string, doFetch: typeof fetch) {
  return async (method: string, args: unknown[]): Promise<WireResult> => {
    let res: Response;
    try {
      res = await doFetch(`${base}/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, ...undefinedHeader(args) },
        body: JSON.stringify(args),
      });
    } catch (err) {
      return { ok: false, error: { message: `${method}: the studio host is not reachable (${(err as Error).message})`, code: 'unreachable' } };
    }
    try {
      return (await res.json()) as WireResult;
    } catch {
      return { ok: false, error: { message: `${method}: the studio host answered HTTP ${res.status} without JSON`, code: 'bad_response' } };
    }
  };
}
