import { describe, expect, it } from 'vitest';
import { validateFlow } from '../../core/model/validate';
import { formatProblem } from '../../core/model/problems';

const flow = (settings: Record<string, unknown>) => ({ formatVersion: 1, id: 'f', name: 'F', nodes: [{ id: 'hook', type: 'webhook', settings }], edges: [] });
const problems = (settings: Record<string, unknown>) => validateFlow(flow(settings)).problems.map(formatProblem);
const apiKey = (header: string) => ({ type: 'apiKey', header, keys: [{ id: 'k1', label: 'ERP', secret: 'ERP_KEY' }] });

describe('webhook settings a partner could never meet are refused at the field', () => {
  it('a key header with a space or a colon is a problem on auth.header (it deployed, and every call got 401)', () => {
    const message = 'must be an HTTP header name: letters, digits and - _ . only (no spaces or ":")';
    expect(problems({ auth: apiKey('X API Key') })).toEqual([`nodes[0].settings.auth.header: ${message}`]);
    expect(problems({ auth: apiKey('X-API-Key:') })).toEqual([`nodes[0].settings.auth.header: ${message}`]);
    expect(problems({ auth: { type: 'hmac', preset: 'generic', secrets: ['SIGNING'], header: 'X Signature' } })).toEqual([`nodes[0].settings.auth.header: ${message}`]);
    expect(problems({ auth: apiKey('X-Partner_Key.v2') })).toEqual([]);
  });

  it('an empty query parameter name gets one message, not also "must not contain spaces"', () => {
    expect(problems({ queryParams: [{ name: '' }] })).toEqual(['nodes[0].settings.queryParams[0].name: must not be empty']);
  });
});

describe('API key labels', () => {
  const keys = (label: string) => ({ auth: { type: 'apiKey', keys: [{ id: 'k1', label, secret: 'ERP_KEY' }] } });
  it('a label of spaces only is as missing as an empty one: consumers could not be told apart', () => {
    expect(problems(keys('   '))).toEqual(['nodes[0].settings.auth.keys[0].label: give the key a label so you can tell consumers apart']);
    expect(problems(keys(''))).toEqual(['nodes[0].settings.auth.keys[0].label: give the key a label so you can tell consumers apart']);
    expect(problems(keys('ERP'))).toEqual([]);
  });
});
