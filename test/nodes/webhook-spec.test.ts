import { describe, expect, it } from 'vitest';
import { validateFlow } from '../../core/model/validate';
import { formatProblem } from '../../core/model/problems';

const flow = (settings: Record<string, unknown>) => ({ formatVersion: 1, id: 'f', name: 'F', nodes: [{ id: 'hook', type: 'webhook', settings }], edges: [] });
const problems = (settings: Record<string, unknown>) => validateFlow(flow(settings)).problems.map(formatProblem);
const keys = (...labels: string[]) => ({ type: 'apiKey', keys: labels.map((label, i) => ({ id: `k${i}`, label, secret: `KEY_${i}` })) });

describe('webhook settings: checks across rows', () => {
  it('a duplicate query parameter is reported together with the other mistakes, not only once they are fixed', () => {
    const lines = problems({ methods: [], timeoutMs: 0, queryParams: [{ name: 'customerid', required: true }, { name: 'customer id' }, { name: 'customerid' }, {}] });
    expect(lines).toContain('nodes[0].settings.methods: choose at least one HTTP method');
    expect(lines).toContain('nodes[0].settings.queryParams[1].name: must not contain spaces, "&", "=" or "#"');
    expect(lines).toContain('nodes[0].settings.queryParams[3].name: is required');
    expect(lines).toContain('nodes[0].settings.queryParams[2].name: duplicate query parameter "customerid"');
  });

  it('two API keys with the same label (ignoring case and spaces) are a problem on the second one', () => {
    expect(problems({ auth: keys('ERP', 'Shop') })).toEqual([]);
    expect(problems({ auth: keys('ERP', 'Shop', ' erp ') })).toEqual(['nodes[0].settings.auth.keys[2].label: duplicate label "erp" (key 1 has it): give each key its own label']);
  });

  it('label checks hold next to other problems and never crash on junk rows', () => {
    const lines = problems({ path: 'no-slash', auth: { type: 'apiKey', keys: [{ id: 'a', label: 'ERP', secret: 'A' }, null, { id: 'c', label: 'ERP', secret: 'not a name' }] } });
    expect(lines).toContain('nodes[0].settings.auth.keys[2].label: duplicate label "ERP" (key 1 has it): give each key its own label');
    expect(lines.some((l) => l.startsWith('nodes[0].settings.path:'))).toBe(true);
    expect(lines.some((l) => l.startsWith('nodes[0].settings.auth.keys[1]'))).toBe(true);
  });

  it('a required parameter with a default and a partition key without ordered delivery are still reported', () => {
    expect(problems({ queryParams: [{ name: 'q', required: true, default: 'x' }] })).toEqual(['nodes[0].settings.queryParams[0].default: a required parameter cannot have a default']);
    expect(validateFlow(flow({ ordered: true, partitionKey: 'body.id' })).problems).toEqual([]);
  });
});
