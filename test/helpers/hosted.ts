import { afterEach, beforeEach } from 'vitest';
import { startHostedRuntime, type HostedRuntime } from '../../core/host/studio';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { tempDir } from './runtime';

/**
 * A hosted runtime (the studio's HostApi) per test, on a fresh data directory with an empty in-memory secret
 * store; read `host.h` / `host.secrets` inside a test.
 */
export function hostedPerTest(): { h: HostedRuntime; secrets: MemorySecretStore } {
  const current = {} as { h: HostedRuntime; secrets: MemorySecretStore };
  beforeEach(async () => {
    current.secrets = new MemorySecretStore({});
    current.h = await startHostedRuntime({ dataDir: tempDir(), secrets: current.secrets, port: 0 });
  });
  afterEach(() => current.h.close());
  return current;
}
