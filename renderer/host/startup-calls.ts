import type { WireResult } from '../../core/host/transport-wire';
import { takeStudioToken } from './token';
import { httpWireCall } from './wire-call';

/** The reads workspace.init() makes before it can open a flow. */
const STARTUP_METHODS = ['getRuntimeInfo', 'listFlows', 'listSecrets', 'listDeployments', 'listConnections'];

let token: string | undefined;
let taken = false;
/** The studio token of this page, read (and removed from the address bar) once. */
export function pageToken(): string {
  if (!taken) {
    taken = true;
    let storage: Storage | null = null;
    try {
      storage = window.sessionStorage;
    } catch {}
    token = takeStudioToken({ location: window.location, history: window.history, storage });
  }
  return token ?? '';
}

const pending = new Map<string, Promise<WireResult>>();

/**
 * Sends the start-up reads right away, while the rest of the bundle is still being evaluated and the first
 * render happens; the host answers them in a few ms, so the workspace finds them answered instead of
 * issuing them from an effect after the first paint.
 */
export function startStartupCalls(): void {
  if (typeof window === 'undefined' || pending.size) return;
  const bridge = window.hookline as unknown as Record<string, (() => Promise<WireResult>) | undefined> | undefined;
  const call = bridge ? (m: string) => bridge[m]!() : httpWireCall(window.location.origin, pageToken(), (...a) => globalThis.fetch(...a));
  for (const m of STARTUP_METHODS) {
    const p = call(m, []);
    // Never an unhandled rejection when nobody takes it; whoever takes it sees the failure.
    p.catch(() => {});
    pending.set(m, p);
  }
}

/** The early answer of `method` called without arguments, once; later calls go to the host. */
export function takeStartupCall(method: string, args: unknown[]): Promise<WireResult> | undefined {
  if (args.length) return undefined;
  const p = pending.get(method);
  pending.delete(method);
  return p;
}
