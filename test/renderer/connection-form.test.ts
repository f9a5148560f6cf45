import { describe, expect, it } from 'vitest';
import { connectionSchema, CONNECTION_AUTH_TYPES } from '../../core/model/connection';
import {
  AUTH_FIELDS,
  bytesToBase64,
  cleanConnection,
  connectionErrors,
  connectionIdFromName,
  connectionSecretName,
  defaultAuth,
  draftSecretNames,
  expiryText,
  problemText,
} from '../../renderer/connections/connection-form';
import { createLiveStore } from '../../renderer/state/live-store';
import { createViewStore } from '../../renderer/state/view-store';
import { createWorkspace } from '../../renderer/state/workspace';
import { createFakeHost } from './fake-host';

describe('connection form model', () => {
  it('describes every auth type of the core schema, and each default passes it once the plain fields are filled', () => {
    expect(Object.keys(AUTH_FIELDS).sort()).toEqual(CONNECTION_AUTH_TYPES.map((t) => t.value).sort());
    const filled: Record<string, string> = { username: 'u', name: 'X-Key', requestor: 'acme', tokenUrl: 'https://idp.example/token', authUrl: 'https://idp.example/auth', clientId: 'c' };
    for (const { value: type } of CONNECTION_AUTH_TYPES) {
      const auth = defaultAuth(type, 'erp');
      for (const f of AUTH_FIELDS[type]) if (f.kind === 'text' && !f.optional) auth[f.key] = filled[f.key];
      if (type === 'headers') auth.headers = [{ name: 'X-Partner', value: 'hookline' }];
      const r = connectionSchema.safeParse(cleanConnection({ id: 'erp', name: 'ERP', auth: auth as never }));
      expect(r.success, `${type}: ${JSON.stringify(r.error?.issues)}`).toBe(true);
    }
  });

  it('names secrets after the connection and keeps shared values when the type changes', () => {
    expect(connectionSecretName('partner-erp', 'passwordSecret')).toBe('CONN_PARTNER_ERP_PASSWORD');
    const basic = defaultAuth('basic', 'erp');
    expect(basic).toEqual({ type: 'basic', passwordSecret: 'CONN_ERP_PASSWORD' });
    const requestor = defaultAuth('requestor', 'erp', { ...basic, username: 'ada' });
    expect(requestor).toMatchObject({ type: 'requestor', username: 'ada', passwordSecret: 'CONN_ERP_PASSWORD', sendAs: 'basic', requestorHeader: 'X-Requestor' });
  });

  it('reports field errors by path as the user types', () => {
    const errs = connectionErrors({ id: 'erp', name: '', auth: { type: 'oauth2ClientCredentials', tokenUrl: 'not a url', clientId: 'c', clientSecretSecret: '1bad' } as never });
    expect(errs.get('name')).toEqual(['must not be empty']);
    expect(errs.get('auth.tokenUrl')?.[0]).toMatch(/absolute http/);
    expect(errs.get('auth.clientSecretSecret')?.[0]).toMatch(/secret name/);
    // An emptied optional URL is "not set", not an invalid URL.
    expect(connectionErrors({ id: 'erp', name: 'ERP', baseUrl: '', auth: { type: 'none' } }).size).toBe(0);
  });

  it('lists the secrets a draft needs, including the certificate', () => {
    const names = draftSecretNames({ id: 'erp', name: 'ERP', auth: { type: 'bearer', tokenSecret: 'T' }, tls: { clientCert: { kind: 'pfx', pfxSecret: 'P', passphraseSecret: 'PP' } } });
    expect(names.sort()).toEqual(['P', 'PP', 'T']);
  });

  it('derives ids from names, formats expiry and encodes uploads', () => {
    expect(connectionIdFromName('Partner ERP (prod)')).toBe('partner-erp-prod');
    expect(connectionIdFromName('  ')).toBe('conn-new');
    expect(connectionIdFromName('Ünïcode Partner')).toBe('unicode-partner');
    expect(connectionIdFromName('Großhändler Süd')).toBe('grosshandler-sud');
    expect(expiryText('2027-01-31T00:00:00.000Z', 70)).toBe('expires 2027-01-31 (70 days)');
    expect(expiryText('2026-01-01T00:00:00.000Z', -3)).toBe('expired 2026-01-01 (3 days ago)');
    const bytes = new Uint8Array(70_000).map((_, i) => i % 251);
    expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
  });
});

describe('workspace connections and view pages', () => {
  it('loads connections with their missing secrets on init and refreshes after a save', async () => {
    const fake = createFakeHost();
    const ws = createWorkspace(fake.host, createLiveStore(), { autosaveMs: 5 });
    await ws.getState().init();
    expect(ws.getState().connections).toEqual([]);
    await fake.host.saveConnection({ id: 'erp', name: 'ERP', auth: { type: 'bearer', tokenSecret: 'ERP_TOKEN' } });
    await ws.getState().refreshConnections();
    expect(ws.getState().connections[0]).toMatchObject({ id: 'erp', missingSecrets: ['ERP_TOKEN'] });
    await fake.host.setSecret('ERP_TOKEN', 't');
    await ws.getState().refreshConnections();
    expect(ws.getState().connections[0].missingSecrets).toEqual([]);
  });

  it('switches pages and asks the executions panel to open a run', () => {
    const view = createViewStore();
    view.getState().setPage('connections', 'erp');
    expect(view.getState()).toMatchObject({ page: 'connections', editConnection: 'erp' });
    view.getState().showExecution('ex-1');
    expect(view.getState()).toMatchObject({ openExecution: 'ex-1', bottomOpen: true, bottomTab: 'executions' });
    view.getState().showExecution(null);
    expect(view.getState().openExecution).toBeNull();
  });
});

describe('node icons', () => {
  it('every node type in the catalogue has its own icon (no generic square)', async () => {
    // The unit-test transform compiles JSX to React.createElement calls.
    (globalThis as { React?: unknown }).React = await import('react');
    const { nodeSpecs } = await import('../../core/nodes/catalogue');
    const { hasIcon } = await import('../../renderer/icons');
    expect(nodeSpecs.filter((s) => !hasIcon(s.icon)).map((s) => `${s.type}: ${s.icon}`)).toEqual([]);
  });
});

describe('connection problems in the form\'s words', () => {
  it('names the field as the form labels it, and keeps paths it has no label for', () => {
    expect(problemText({ path: 'auth.tokenUrl', message: 'must be an absolute http:// or https:// URL' }, 'oauth2ClientCredentials')).toBe('Token URL: must be an absolute http:// or https:// URL');
    expect(problemText({ path: 'auth.passwordSecret', message: 'is required' }, 'basic')).toBe('Password: is required');
    expect(problemText({ path: 'proxy.url', message: 'must be a URL' }, 'none')).toBe('Proxy URL: must be a URL');
    expect(problemText({ path: 'tls.clientCert.pfxSecret', message: 'is required' }, 'none')).toBe('Client certificate: is required');
    expect(problemText({ path: 'somethingElse', message: 'odd' }, 'none')).toBe('somethingElse: odd');
    expect(problemText({ path: '', message: 'odd' }, undefined)).toBe('odd');
  });
});

