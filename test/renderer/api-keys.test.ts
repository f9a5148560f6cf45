import { describe, expect, it } from 'vitest';
import { webhookSpec } from '../../core/nodes/webhook/spec';
import { cellClass, newKeyEntry, ownKeyError } from '../../renderer/inspector/api-keys';

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
