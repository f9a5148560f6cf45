import { describe, expect, it } from 'vitest';
import { createFieldDrafts, draftDeployRefusal, draftId, draftSummary, pendingDrafts, type FieldDraft } from '../../renderer/inspector/field-drafts';

const memory = () => {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
};
const draft = (nodeId: string, key = 'bodySchema', label = 'Body schema (JSON Schema)'): FieldDraft => ({ flowId: 'f', nodeId, key, label, text: '{"type": ', error: 'not valid JSON: Unexpected end of JSON input' });

describe('field drafts (text that is not a value yet)', () => {
  it('says which field is not saved and refuses deploy naming it', () => {
    expect(draftSummary([])).toBeNull();
    expect(draftDeployRefusal([])).toBeNull();
    expect(draftSummary([draft('hook')])).toBe('Body schema: not valid JSON – not saved');
    expect(draftDeployRefusal([draft('hook')])).toBe('Deploy refused: Body schema is not valid and not saved. Fix or clear it first.');
    expect(draftSummary([draft('hook'), draft('other')])).toBe('2 fields not valid – not saved');
  });

  it('keeps drafts per flow, node and field, only for nodes that still exist, and across a reload of the tab', () => {
    const storage = memory();
    const a = createFieldDrafts(storage);
    a.getState().set(draft('hook'));
    a.getState().set({ ...draft('gone'), flowId: 'f' });
    a.getState().set({ ...draft('hook'), flowId: 'other-flow' });
    const flow = { id: 'f', nodes: [{ id: 'hook' }] };
    expect(pendingDrafts(a.getState().drafts, flow).map((d) => d.nodeId)).toEqual(['hook']);
    // A new store over the same storage (a reload) still has the text the user typed.
    const b = createFieldDrafts(storage);
    expect(b.getState().drafts[draftId('f', 'hook', 'bodySchema')]?.text).toBe('{"type": ');
    b.getState().clear(draftId('f', 'hook', 'bodySchema'));
    expect(pendingDrafts(createFieldDrafts(storage).getState().drafts, flow)).toEqual([]);
  });
});
