import { HOST_METHODS, type HostApi, type HostMethod } from '../../core/host/api';
import { hostFromWire, type WireResult } from '../../core/host/transport-wire';
import { httpWireCall } from './wire-call';

// Type-only, derived from HostApi: renderer/ may not import core/runtime even for types.
type RunEvent = Parameters<Parameters<HostApi['onEvent']>[0]>[0];

/** The part of the WebSocket constructor the client uses (browser `WebSocket` or the `ws` package). */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: any) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: any) => void) | null;
  onerror: ((ev: any) => void) | null;
  close(code?: number, reason?: string): void;
}
export type WebSocketCtor = new (url: string) => WebSocketLike;

export interface HttpHostOptions {
  /** Defaults to `globalThis.WebSocket`. */
  WebSocket?: WebSocketCtor;
  /** Defaults to `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** First reconnect delay; doubles up to `maxReconnectDelayMs` (defaults 250 ms and 5 s). */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
  /** Told when the event stream goes up or down, so the studio can show "reconnecting...". */
  onConnectionChange?: (connected: boolean) => void;
  /** An answer already on its way for this call (the page's start-up reads), used instead of a new request. */
  earlyAnswer?: (method: HostMethod, args: unknown[]) => Promise<WireResult> | undefined;
}

/**
 * HostApi over HTTP + WebSocket for the browser studio. Every method is generated from HOST_METHODS,
 * so a method added to the interface needs no client change. Events connect lazily with the first
 * subscriber, reconnect with backoff while anyone listens, and disconnect after the last unsubscribe.
 */
export function createHttpHost(baseUrl: string, token: string, opts: HttpHostOptions = {}): HostApi {
  const base = baseUrl.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? ((...a: Parameters<typeof fetch>) => globalThis.fetch(...a));

  // Envelope in, envelope out: hostFromWire turns failures into the same errors as the desktop bridge.
  const send = httpWireCall(base, token, doFetch);
  const call = (method: HostMethod, args: unknown[]): Promise<WireResult> => opts.earlyAnswer?.(method, args) ?? send(method, args);

  const wire: Record<string, unknown> = {};
  for (const m of HOST_METHODS) wire[m] = (...args: unknown[]) => call(m, args);
  wire.onEvent = createEventStream(base, token, opts);
  return hostFromWire(wire as unknown as Parameters<typeof hostFromWire>[0]);
}

function createEventStream(base: string, token: string, opts: HttpHostOptions) {
  const listeners = new Set<(e: RunEvent) => void>();
  const firstDelay = opts.reconnectDelayMs ?? 250;
  const maxDelay = opts.maxReconnectDelayMs ?? 5000;
  let socket: WebSocketLike | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let delay = firstDelay;
  let connected = false;

  const setConnected = (v: boolean) => {
    if (v === connected) return;
    connected = v;
    opts.onConnectionChange?.(v);
  };

  const connect = () => {
    timer = undefined;
    if (socket || listeners.size === 0) return;
    const Ctor = opts.WebSocket ?? (globalThis as { WebSocket?: WebSocketCtor }).WebSocket;
    if (!Ctor) return;
    const wsUrl = `${base.replace(/^http/, 'ws')}/api/events?token=${encodeURIComponent(token)}`;
    const ws = new Ctor(wsUrl);
    socket = ws;
    ws.onopen = () => {
      delay = firstDelay;
      setConnected(true);
    };
    ws.onmessage = (ev) => {
      let event: RunEvent;
      try {
        event = JSON.parse(typeof ev.data === 'string' ? ev.data : String(ev.data));
      } catch {
        return;
      }
      for (const cb of [...listeners]) {
        try {
          cb(event);
        } catch (err) {
          console.error('hookline: event listener failed', err);
        }
      }
    };
    ws.onerror = () => {};
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = undefined;
      setConnected(false);
      if (listeners.size > 0 && !timer) {
        timer = setTimeout(connect, delay);
        delay = Math.min(delay * 2, maxDelay);
      }
    };
  };

  const disconnect = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const ws = socket;
    socket = undefined;
    setConnected(false);
    ws?.close(1000, 'no listeners');
  };

  return (cb: (e: RunEvent) => void): (() => void) => {
    listeners.add(cb);
    if (!socket && !timer) connect();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      listeners.delete(cb);
      if (listeners.size === 0) disconnect();
    };
  };
}
