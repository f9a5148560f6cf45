import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../../core/http/tls-test-pki';
import { connectionSchema } from '../../core/model/connection';
import { curlToSettings, settingsToCurl } from '../../core/nodes/http-request/curl';
import { httpRequestSettingsSchema } from '../../core/nodes/http-request/spec';
import { json, startHttp, startHttps, startProxy, type TestServer } from './servers';

const run = promisify(execFile);
const get = (url: string) => httpRequestSettingsSchema.parse({ method: 'GET', url });

/**
 * Copy as cURL of a node whose connection has a client certificate, an extra CA and a proxy: the command names a
 * file per certificate secret and placeholders for passwords; filled in, it runs against real servers.
 */
describe('Copy as cURL with client certificate, CA bundle and proxy', () => {
  let pki: TestPki;
  let mtls: TestServer;
  let target: TestServer;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let cwd: string;

  beforeAll(async () => {
    pki = createTestPki({ bits: 2048 }); // the system's OpenSSL (curl) refuses 1024-bit keys
    mtls = await startHttps({ key: pki.server.keyPem, cert: pki.server.certPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: true }, (req, res) =>
      json(res, 200, { mtls: true, cn: (req.socket as import('node:tls').TLSSocket).getPeerCertificate().subject?.CN }),
    );
    target = await startHttp((req, res) => json(res, 200, { via: req.url }));
    proxy = await startProxy();
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'curl-tls-'));
  });
  afterAll(async () => {
    await Promise.all([mtls.close(), target.close(), proxy.close()]);
    fs.rmSync(cwd, { recursive: true, force: true });
  });

  const sh = async (command: string) => JSON.parse((await run('bash', ['-c', `${command} -sS`], { cwd })).stdout);

  it('PEM certificate and key, their passphrase and the CA as files and placeholders; filled in, it passes the mTLS handshake', async () => {
    const conn = connectionSchema.parse({
      id: 'p',
      name: 'P',
      tls: { clientCert: { kind: 'pem', certSecret: 'CLIENT_CERT', keySecret: 'CLIENT_KEY' }, caSecret: 'PARTNER_CA' },
    });
    const cmd = settingsToCurl(get(`${mtls.url}/orders`), conn);
    expect(cmd).toContain("--cert ./CLIENT_CERT.pem \\\n  --key ./CLIENT_KEY.pem \\\n  --cacert ./PARTNER_CA.pem");
    fs.writeFileSync(path.join(cwd, 'CLIENT_CERT.pem'), pki.client.certPem);
    fs.writeFileSync(path.join(cwd, 'CLIENT_KEY.pem'), pki.client.keyPem);
    fs.writeFileSync(path.join(cwd, 'PARTNER_CA.pem'), pki.ca.certPem);
    expect(await sh(cmd)).toEqual({ mtls: true, cn: expect.any(String) });
  });

  it('a PFX with its passphrase: --cert-type P12 and --pass with the passphrase placeholder', async () => {
    const conn = connectionSchema.parse({ id: 'p', name: 'P', tls: { clientCert: { kind: 'pfx', pfxSecret: 'CLIENT_PFX', passphraseSecret: 'PFX_PASS' } } });
    const cmd = settingsToCurl(get(`${mtls.url}/orders`), conn);
    expect(cmd).toContain("--cert-type P12 --cert ./CLIENT_PFX.p12 \\\n  --pass '<secret:PFX_PASS>'");
    expect(cmd).not.toContain(pki.passphrase);
    fs.writeFileSync(path.join(cwd, 'CLIENT_PFX.p12'), Buffer.from(pki.client.pfxBase64, 'base64'));
    fs.writeFileSync(path.join(cwd, 'CA.pem'), pki.ca.certPem);
    expect(await sh(`${cmd.replace('<secret:PFX_PASS>', pki.passphrase)} --cacert ./CA.pem`)).toEqual({ mtls: true, cn: expect.any(String) });
  });

  it('a proxy with a password secret: --proxy without credentials, --proxy-user with the placeholder; filled in, it goes through the proxy', async () => {
    const conn = connectionSchema.parse({ id: 'p', name: 'P', proxy: { url: `http://relay@127.0.0.1:${proxy.port}`, passwordSecret: 'PROXY_PW' } });
    const cmd = settingsToCurl(get(`${target.url}/x?a=1`), conn);
    expect(cmd).toContain(`--proxy http://127.0.0.1:${proxy.port}/ \\\n  --proxy-user 'relay:<secret:PROXY_PW>'`);
    expect(await sh(cmd.replace('<secret:PROXY_PW>', 'pw-1'))).toEqual({ via: '/x?a=1' });
    expect(proxy.requests.at(-1)).toMatchObject({ url: `${target.url}/x?a=1` });
    expect(proxy.requests.at(-1)!.headers['proxy-authorization']).toBe(`Basic ${Buffer.from('relay:pw-1').toString('base64')}`);
  });

  it('a proxy without a password secret is copied as written', () => {
    const conn = connectionSchema.parse({ id: 'p', name: 'P', proxy: { url: 'http://proxy.corp:3128' } });
    expect(settingsToCurl(get('https://p.example/'), conn)).toContain('--proxy http://proxy.corp:3128');
  });

  it('Import from cURL reads them back: the same certificate, CA and proxy secrets, no new ones', () => {
    const pfx = connectionSchema.parse({ id: 'p', name: 'P', tls: { clientCert: { kind: 'pfx', pfxSecret: 'CLIENT_PFX', passphraseSecret: 'PFX_PASS' }, caSecret: 'PARTNER_CA' }, proxy: { url: 'http://relay@proxy.corp:3128', passwordSecret: 'PROXY_PW' } });
    const back = curlToSettings(settingsToCurl(get('https://p.example/orders'), pfx), () => true);
    expect(back.secrets).toEqual([]);
    expect(back.settings.connection).toMatchObject({
      tls: { clientCert: { kind: 'pfx', pfxSecret: 'CLIENT_PFX', passphraseSecret: 'PFX_PASS' }, caSecret: 'PARTNER_CA', rejectUnauthorized: true },
      proxy: { url: 'http://relay@proxy.corp:3128/', passwordSecret: 'PROXY_PW' },
    });
    const pem = connectionSchema.parse({ id: 'p', name: 'P', tls: { clientCert: { kind: 'pem', certSecret: 'C', keySecret: 'K' }, rejectUnauthorized: false } });
    expect(curlToSettings(settingsToCurl(get('https://p.example/'), pem), () => true).settings.connection).toMatchObject({ tls: { clientCert: { kind: 'pem', certSecret: 'C', keySecret: 'K' }, rejectUnauthorized: false } });
  });

  it("Import from cURL: a proxy password typed in the command becomes a secret; a certificate file of one's own is an error saying what to do", () => {
    const r = curlToSettings('curl -x http://proxy.corp:3128 -U bob:s3cret https://p.example/');
    expect(r.settings.connection).toMatchObject({ proxy: { url: 'http://bob@proxy.corp:3128/', passwordSecret: 'CURL_PROXY_PASSWORD' } });
    expect(r.secrets).toEqual([{ name: 'CURL_PROXY_PASSWORD', value: 's3cret' }]);
    expect(JSON.stringify(r.settings)).not.toContain('s3cret');
    expect(curlToSettings('curl --proxy http://al:pw1@proxy.corp:3128 https://p.example/').secrets).toEqual([{ name: 'CURL_PROXY_PASSWORD', value: 'pw1' }]);
    expect(() => curlToSettings('curl --cert /home/me/client.p12:pw https://p.example/')).toThrow('curl: --cert /home/me/client.p12 reads a file: save its content as a secret and pick it in a connection');
    expect(() => curlToSettings('curl --cert ./C.pem https://p.example/')).toThrow('needs its key as a second secret (--key)');
    expect(() => curlToSettings('curl --cacert /etc/ssl/partner.pem https://p.example/')).toThrow('curl: --cacert /etc/ssl/partner.pem reads a file');
  });
});
