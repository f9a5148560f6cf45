import { useRef, useState } from 'react';
import { useApp } from '../app-context';

/**
 * A test request the user can cancel (Postman's Cancel): `run(send)` hands `send` a fresh test id to pass to
 * testConnection / sendNodeTestRequest; `cancel()` asks the host to stop that request, which then answers with
 * `error.code` `aborted` at once instead of after the timeout.
 */
export function useCancellableTest() {
  const { host } = useApp();
  const current = useRef<string | null>(null);
  const [running, setRunning] = useState(false);
  const run = async <T,>(send: (testId: string) => Promise<T>): Promise<T> => {
    const id = `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    current.current = id;
    setRunning(true);
    try {
      return await send(id);
    } finally {
      if (current.current === id) {
        current.current = null;
        setRunning(false);
      }
    }
  };
  const cancel = () => {
    if (current.current) void host.cancelTest(current.current).catch(() => undefined);
  };
  return { running, run, cancel };
}

/** The Cancel button shown while a cancellable test runs (Postman's Cancel beside Send). */
export function CancelTestButton({ test, testId, small }: { test: ReturnType<typeof useCancellableTest>; testId: string; small?: boolean }) {
  if (!test.running) return null;
  return (
    <button className={small ? 'hl-btn sm' : 'hl-btn'} data-testid={testId} title="Stops the request now instead of waiting for its timeout" onClick={test.cancel}>
      Cancel
    </button>
  );
}
