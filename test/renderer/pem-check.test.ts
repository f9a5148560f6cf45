import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHostedRuntime, type HostedRuntime } from '../../core/host/studio';
import { createTestPki } from '../../core/http/tls';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { checkPemCertificate } from '../../renderer/connections/pem-check';
import { tempDir } from '../helpers/runtime';

/** The check behind "Extra CA bundle (PEM)", through the real HostApi. */
const pki = createTestPki();
const LABEL = 'Extra CA bundle (PEM)';
let h: HostedRuntime;
let secrets: MemorySecretStore;

beforeEach(async () => {
  secrets = new MemorySecretStore({});
  h = await startHostedRuntime({ dataDir: tempDir(), secrets, port: 0 });
});
afterEach(() => h.close());

describe('checkPemCertificate', () => {
  it('accepts a multi-line PEM and a bundle of two, storing nothing', async () => {
    expect(await checkPemCertificate(h.api, LABEL, 'CONN_ERP_CA', pki.ca.certPem)).toBeNull();
    expect(await checkPemCertificate(h.api, LABEL, 'CONN_ERP_CA', `${pki.ca.certPem}\n${pki.client.certPem}`)).toBeNull();
    expect(secrets.list()).toEqual([]);
  });

  it('names the field when the line breaks were lost, the text is no PEM, or one block of a bundle is broken', async () => {
    const flattened = pki.ca.certPem.replace(/\r?\n/g, '');
    expect(await checkPemCertificate(h.api, LABEL, 'CONN_ERP_CA', flattened)).toMatch(/^Extra CA bundle \(PEM\): certificate is not a valid PEM certificate/);
    expect(await checkPemCertificate(h.api, LABEL, 'CONN_ERP_CA', 'hello')).toMatch(/^Extra CA bundle \(PEM\): not a PEM certificate/);
    const broken = `${pki.ca.certPem}\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`;
    expect(await checkPemCertificate(h.api, LABEL, 'CONN_ERP_CA', broken)).toMatch(/certificate 2 of 2: /);
    expect(await checkPemCertificate(h.api, LABEL, 'CONN_ERP_CA', broken)).not.toContain('CONN_ERP_CA');
  });
});
