import { describe, expect, it } from 'vitest';
import { webhookSpec } from '../../core/nodes/webhook/spec';
import { cellClass, newKeyEntry, otherTriggerKeys, ownKeyError, sharedKeyEntry } from '../../renderer/inspector/api-keys';

describe('webhook API keys: a key of your own', () => {
  it('checks a pasted key and names the field', () => {
    expect(ownKeyError('')).toBe('API key value: is required');
    expect(ownKeyError('too-short')).toBe('API key value: must be at least 16 characters (9 now)');
    expect(ownKeyError('with a space in it 123')).toMatch(/^API key value: must not contain spaces/);
    expect(ownKeyError('line\nbreak-0123456789')).toMatch(/^API key value: must not contain/);
    expect(ownKeyError('x'.repeat(513))).toBe('API key value: must be at most 512 characters');
    expect(ownKeyError('partner-given-key-0123')).toBeNull();
  });

  it('adds a row the webhook schema accepts, its value only as a secret name', () => {
    const owner = { flowId: 'flow-a', nodeId: 'hook' };
    const first = newKeyEntry([], owner, 'k1', new Date('2026-01-01T00:00:00Z'));
    const second = newKeyEntry([first], owner, 'k2');
    expect(first).toEqual({ id: 'k1', label: 'Default', secret: 'FLOW_A_HOOK_K1', createdAt: '2026-01-01T00:00:00.000Z' });
    expect(second.label).toBe('Key 2');
    const r = webhookSpec.settings.safeParse({ methods: ['POST'], path: '/x', auth: { type: 'apiKey', keys: [first, second] } });
    expect(r.success).toBe(true);
  });

  it('outlines only the cell with the error', () => {
    expect(cellClass(new Set(['[0].label']), '[0].label')).toBe('hl-input invalid');
    expect(cellClass(new Set(['[0].label']), '[1].label')).toBe('hl-input');
  });
});

describe('webhook API keys: reusing a key of another trigger', () => {
  const hook = (id: string, keys: Array<{ id: string; label: string; secret: string }>) => ({ id, type: 'webhook', settings: { auth: { type: 'apiKey', keys } } });
  const flows = [
    { id: 'orders', name: 'Orders', nodes: [hook('hook', [{ id: 'k1', label: 'ITscope', secret: 'ORDERS_HOOK_K1' }]), hook('hook2', [{ id: 'k1', label: 'ERP', secret: 'ORDERS_HOOK2_K1' }])] },
    // A key already shared by a third trigger shows once; a trigger without API keys offers nothing.
    { id: 'invoices', name: 'Invoices', nodes: [hook('in', [{ id: 'k9', label: 'ITscope', secret: 'ORDERS_HOOK_K1' }]), { id: 'open', type: 'webhook', settings: { auth: { type: 'none' } } }, { id: 'log', type: 'log', settings: {} }] },
  ];

  it('lists the keys of every other webhook trigger once, without this trigger\'s own or those it has', () => {
    const owner = { flowId: 'orders', nodeId: 'hook2' };
    expect(otherTriggerKeys(flows, owner, []).map((k) => `${k.flowName}/${k.nodeId}/${k.label}/${k.secret}`)).toEqual(['Orders/hook/ITscope/ORDERS_HOOK_K1']);
    expect(otherTriggerKeys(flows, { flowId: 'invoices', nodeId: 'in' }, [{ id: 'x', label: 'ITscope', secret: 'ORDERS_HOOK_K1' }]).map((k) => k.secret)).toEqual(['ORDERS_HOOK2_K1']);
  });

  it('adds a row with the same secret and a label the list does not have yet, which the webhook schema accepts', () => {
    const [itscope] = otherTriggerKeys(flows, { flowId: 'invoices', nodeId: 'open' }, []);
    const mine = [{ id: 'a', label: 'itscope ', secret: 'INVOICES_OPEN_A' }];
    const row = sharedKeyEntry(mine, itscope, 'b', new Date('2026-01-01T00:00:00Z'));
    expect(row).toEqual({ id: 'b', label: 'ITscope (2)', secret: 'ORDERS_HOOK_K1', createdAt: '2026-01-01T00:00:00.000Z' });
    const parsed = webhookSpec.settings.safeParse({ methods: ['POST'], path: '/in', auth: { type: 'apiKey', keys: [...mine, row] } });
    expect(parsed.success).toBe(true);
  });
});
