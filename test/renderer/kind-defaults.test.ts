import { describe, expect, it } from 'vitest';
import { templateSpec } from '../../core/nodes/template/spec';
import { defaultSettings } from '../../renderer/state/document-store';
import { settingsForKindChange, TEMPLATE_DEFAULTS } from '../../renderer/inspector/kind-defaults';

describe('template kind switch', () => {
  it('replaces the untouched JSON default {} of a new Template node with an XML skeleton, and back', () => {
    const fresh = defaultSettings('template');
    expect(fresh).toMatchObject({ kind: 'json', template: '{}' });
    const xml = settingsForKindChange('template', fresh, 'kind', 'xml')!;
    expect(xml).toMatchObject({ kind: 'xml', template: TEMPLATE_DEFAULTS.xml });
    expect(xml.template).toMatch(/^<\?xml[^>]*\?>\s*<message><\/message>$/);
    expect(templateSpec.settings.safeParse(xml).success).toBe(true);
    expect(settingsForKindChange('template', xml, 'kind', 'json')).toMatchObject({ kind: 'json', template: '{}' });
    expect(settingsForKindChange('template', xml, 'kind', 'text')).toMatchObject({ kind: 'text', template: '' });
  });

  it('keeps what the user typed, and ignores other fields and node types', () => {
    const typed = { kind: 'json', template: '{"id": "{{ data.id }}"}' };
    expect(settingsForKindChange('template', typed, 'kind', 'xml')).toEqual({ kind: 'xml', template: typed.template });
    expect(settingsForKindChange('template', typed, 'target', 'var')).toBeNull();
    expect(settingsForKindChange('log', typed, 'kind', 'xml')).toBeNull();
    // A Respond node's empty template stays empty whatever the kind.
    expect(settingsForKindChange('respond', { templateKind: 'json', template: '' }, 'templateKind', 'xml')).toEqual({ templateKind: 'xml', template: '' });
  });
});
