import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHostedRuntime, type HostedRuntime } from '../../core/host/studio';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { tempDir } from '../helpers/runtime';

/** Sign in refuses to start while the client secret the code exchange needs is not stored, naming the field. */
let h: HostedRuntime;
let secrets: MemorySecretStore;

beforeEach(async () => {
  secrets = new MemorySecretStore();
  h = await startHostedRuntime({ dataDir: tempDir(), secrets, port: 0 });
  await h.api.saveConnection({
    id: 'partner-c',
    name: 'Partner C',
    auth: { type: 'oauth2AuthCode', authUrl: 'http://127.0.0.1:9/authorize', tokenUrl: 'http://127.0.0.1:9/token', clientId: 'app', clientSecretSecret: 'PARTNER_C_CLIENT_SECRET', scope: 'orders', refreshTokenSecret: 'PARTNER_C_REFRESH' },
  });
});
afterEach(() => h.close());

describe('startOAuthSignIn and the client secret', () => {
  it('names auth.clientSecretSecret when its secret is not set, and starts once it is', async () => {
    await expect(h.api.startOAuthSignIn('partner-c')).rejects.toThrow(
      'connection "partner-c" auth.clientSecretSecret: secret PARTNER_C_CLIENT_SECRET is not set; enter the Client secret and save the connection before signing in',
    );
    secrets.set('PARTNER_C_CLIENT_SECRET', 'cs-value');
    const start = await h.api.startOAuthSignIn('partner-c');
    expect(new URL(start.authorizeUrl).searchParams.get('client_id')).toBe('app');
  });
});
