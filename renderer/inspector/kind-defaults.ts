/**
 * Starting text of a template editor for each kind. A template that is still the untouched starting text of
 * its kind is replaced when the kind changes (JSON's `{}` is not XML); anything the user typed is kept.
 */
export const TEMPLATE_DEFAULTS: Record<string, string> = {
  json: '{}',
  xml: '<?xml version="1.0" encoding="UTF-8"?>\n<message></message>',
  text: '',
};

/** Node types whose template text follows a kind select: which setting is the kind, which the text. */
const KIND_FIELDS: Record<string, { kind: string; text: string }> = {
  template: { kind: 'kind', text: 'template' },
  respond: { kind: 'templateKind', text: 'template' },
};

/**
 * The settings after choosing `nextKind` in the kind select, with the template text swapped for the new
 * kind's starting text when it was the old kind's; null when the key is not a kind select of this type.
 *
 * @example
 * settingsForKindChange('template', { kind: 'json', template: '{}' }, 'kind', 'xml')?.template; // '<?xml ...'
 */
export function settingsForKindChange(type: string, settings: Record<string, unknown>, key: string, nextKind: unknown): Record<string, unknown> | null {
  const f = KIND_FIELDS[type];
  if (!f || key !== f.kind || typeof nextKind !== 'string') return null;
  const prevKind = typeof settings[f.kind] === 'string' ? (settings[f.kind] as string) : 'json';
  const text = settings[f.text];
  const untouched = text === undefined || (typeof text === 'string' && text.trim() === (TEMPLATE_DEFAULTS[prevKind] ?? '').trim() && text.trim() !== '');
  const next = { ...settings, [f.kind]: nextKind };
  if (untouched && nextKind in TEMPLATE_DEFAULTS) next[f.text] = TEMPLATE_DEFAULTS[nextKind];
  return next;
}
