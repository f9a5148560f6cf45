import { HOST_METHODS, hostMethodArgs, type HostApi, type HostMethod } from './api';
import { ProblemsError, type Problem } from '../model/problems';
import { zodProblems } from '../model/zod-problems';

/**
 * What both HostApi transports (HTTP + WebSocket, Electron IPC) put on the wire. Browser-safe: the
 * server side dispatches with {@link invokeHostMethod}, the client side unwraps with {@link unwrapWire},
 * so a failing call looks the same to the renderer whichever transport carried it (Electron's own
 * `ipcMain.handle` rejection would flatten every error to a string and lose `problems`).
 */
export interface WireError {
  message: string;
  /** Stable code: `unknown_method`, `invalid_args`, `problems`, `unauthorized`, or the thrown error's own `code`. */
  code?: string;
  problems?: Problem[];
}

export type WireResult<T = unknown> = { ok: true; result?: T } | { ok: false; error: WireError };

/** Error thrown on the client side of a transport for a failed call without problems. */
export class HostCallError extends Error {
  constructor(
    message: string,
    public readonly code?: string,
  ) {
    super(message);
    this.name = 'HostCallError';
  }
}

/** ProblemsError thrown on the client side, keeping the wire code (`invalid_args`, `problems`, ...). */
export class HostProblemsError extends ProblemsError {
  constructor(
    problems: Problem[],
    message: string,
    public readonly code?: string,
  ) {
    super(problems, message);
  }
}

export function isHostMethod(name: string): name is HostMethod {
  return Object.prototype.hasOwnProperty.call(hostMethodArgs, name);
}

/** Turns anything thrown by a HostApi method into its wire shape; never leaks stacks. */
export function toWireError(err: unknown): WireError {
  if (err instanceof ProblemsError) {
    const own = (err as unknown as { code?: unknown }).code;
    const code = typeof own === 'string' ? own : 'problems';
    return { message: err.message, code, problems: err.problems };
  }
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { message: err.message || err.name, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { message: typeof err === 'string' ? err : 'unknown error' };
}

/** Rebuilds the error a failed call throws on the client: a ProblemsError when there are problems. */
export function fromWireError(e: WireError): Error {
  if (e.problems && e.problems.length > 0) return new HostProblemsError(e.problems, e.message, e.code);
  return new HostCallError(e.message, e.code);
}

/** Client side: returns the result or throws the transported error. */
export function unwrapWire<T>(res: unknown): T {
  if (res && typeof res === 'object' && 'ok' in res) {
    const r = res as WireResult<T>;
    if (r.ok) return r.result as T;
    if (r.error && typeof r.error.message === 'string') throw fromWireError(r.error);
  }
  throw new HostCallError('the host answered with an unexpected shape', 'bad_response');
}

/**
 * Server side: validates `args` with `hostMethodArgs[method]` (the caller is untrusted) and calls the
 * method with the parsed arguments. Never throws.
 *
 * @example
 * const res = await invokeHostMethod(api, 'getFlow', ['orders']);
 * if (!res.ok) console.log(res.error.code); // 'invalid_args' | 'unknown_method' | ...
 */
export async function invokeHostMethod(api: HostApi, method: string, args: unknown): Promise<WireResult> {
  if (!isHostMethod(method)) {
    return { ok: false, error: { message: `unknown host method ${JSON.stringify(method)}`, code: 'unknown_method' } };
  }
  // reportInput lets zodProblems tell "is required" from "must be a string".
  const parsed = hostMethodArgs[method].safeParse(args, { reportInput: true });
  if (!parsed.success) {
    const problems = zodProblems(parsed.error, 'args');
    return {
      ok: false,
      error: { message: `${method}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, code: 'invalid_args', problems },
    };
  }
  try {
    const fn = api[method] as (...a: unknown[]) => Promise<unknown>;
    const result = await fn.apply(api, parsed.data as unknown[]);
    return result === undefined ? { ok: true } : { ok: true, result };
  } catch (err) {
    return { ok: false, error: toWireError(err) };
  }
}

/** Application-menu actions the Electron shell sends to the renderer (`menu:<action>`). */
export const MENU_ACTIONS = ['new', 'open', 'save', 'import', 'export', 'undo', 'redo', 'deploy'] as const;
export type MenuAction = (typeof MENU_ACTIONS)[number];
export const menuChannel = (a: MenuAction) => `menu:${a}` as const;

/** A HostApi whose methods answer with the wire envelope instead of throwing (what crosses a boundary). */
export type WireApi = {
  [M in HostMethod]: (...args: Parameters<HostApi[M]>) => Promise<WireResult<Awaited<ReturnType<HostApi[M]>>>>;
};

/**
 * What the Electron preload exposes as `window.hookline`. Methods answer with envelopes because
 * contextBridge copies only the message of a thrown Error (custom fields such as `problems` would be
 * lost); {@link hostFromWire} turns it back into a HostApi on the page side.
 */
export type DesktopBridge = WireApi & {
  onEvent: HostApi['onEvent'];
  /** Application-menu clicks (New, Open, Save, ...); returns an unsubscribe function. */
  onMenu(cb: (action: MenuAction) => void): () => void;
};

/**
 * Builds a HostApi from envelope-returning methods: results come back, failures throw
 * HostProblemsError / HostCallError with code and problems intact.
 *
 * @example
 * const api = hostFromWire(window.hookline!);
 * await api.deploy('orders'); // throws HostProblemsError with .problems when the flow is invalid
 */
export function hostFromWire(wire: Pick<WireApi, HostMethod> & Pick<HostApi, 'onEvent'>): HostApi {
  const api: Record<string, unknown> = {};
  for (const m of HOST_METHODS) {
    const fn = wire[m] as (...a: unknown[]) => Promise<unknown>;
    api[m] = async (...args: unknown[]) => unwrapWire(await fn(...args));
  }
  api.onEvent = (cb: Parameters<HostApi['onEvent']>[0]) => wire.onEvent(cb);
  return api as unknown as HostApi;
}
