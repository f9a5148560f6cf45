import fs from 'node:fs';

/**
 * The child side of lib/child.ts: report the port, answer commands, exit on `stop` or when the parent goes.
 */
export function serveChild(opts: {
  port: number;
  commands?: Record<string, (arg: unknown) => unknown>;
  onStop?: () => Promise<void> | void;
}): void {
  const send = (m: unknown) => process.send?.(m);
  const stop = async () => {
    try {
      await opts.onStop?.();
    } finally {
      process.exit(0);
    }
  };
  process.on('disconnect', () => void stop());
  process.on('message', (m: any) => {
    if (m?.type === 'stop') return void stop();
    if (m?.type !== 'call') return;
    // CPU time of this process, so the bench can show server CPU per request next to the throughput, and of its
    // main thread (where this handler runs): one JavaScript thread that is busy all the time caps a server.
    const builtin: Record<string, () => unknown> = { cpu: () => ({ ...process.cpuUsage(), main: threadCpuMicros() }) };
    const handler = opts.commands?.[m.cmd] ?? builtin[m.cmd];
    if (!handler) return send({ type: 'result', id: m.id, error: `unknown command "${m.cmd}"` });
    Promise.resolve()
      .then(() => handler(m.arg))
      .then(
        (value) => send({ type: 'result', id: m.id, value }),
        (err) => send({ type: 'result', id: m.id, error: String(err?.stack ?? err) }),
      );
  });
  send({ type: 'ready', port: opts.port });
}

/**
 * CPU time of the calling thread in microseconds, from /proc/thread-self/stat (utime + stime, in clock ticks of
 * 10 ms: enough over a bench case's seconds); NaN where there is no /proc (not Linux).
 */
export function threadCpuMicros(): number {
  try {
    const stat = fs.readFileSync('/proc/thread-self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10_000;
  } catch {
    return Number.NaN;
  }
}

/** Parses the JSON options the parent passed as the first argument. */
export function childOptions<T>(): T {
  return JSON.parse(process.argv[2] ?? '{}') as T;
}

export function failChild(err: unknown): never {
  process.send?.({ type: 'failed', error: String((err as Error)?.stack ?? err) });
  process.exit(1);
}
