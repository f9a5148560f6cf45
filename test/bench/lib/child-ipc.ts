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
    // CPU time of this process, so the bench can show server CPU per request next to the throughput.
    const builtin: Record<string, () => unknown> = { cpu: () => process.cpuUsage() };
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

/** Parses the JSON options the parent passed as the first argument. */
export function childOptions<T>(): T {
  return JSON.parse(process.argv[2] ?? '{}') as T;
}

export function failChild(err: unknown): never {
  process.send?.({ type: 'failed', error: String((err as Error)?.stack ?? err) });
  process.exit(1);
}
