import { z } from 'zod';
import type { NodeSpec } from '../spec-types';

export const NOTE_COLORS = ['yellow', 'blue', 'green', 'pink', 'grey'] as const;

/** A note's width by default, and the bounds of its size, in px (the canvas's resize handles keep to them too). */
export const NOTE_SIZE = { width: 240, minWidth: 120, minHeight: 48, max: 1200 } as const;

export const noteSettingsSchema = z.object({
  text: z.string().max(10_000, { message: 'must be at most 10,000 characters' }).default(''),
  color: z.enum(NOTE_COLORS).default('yellow'),
  /** Size on the canvas in px (drag a selected note's edges, or type it); without a height the note fits its text. */
  width: z.number().int().min(NOTE_SIZE.minWidth).max(NOTE_SIZE.max).default(NOTE_SIZE.width),
  height: z.number().int().min(NOTE_SIZE.minHeight).max(NOTE_SIZE.max).optional(),
});
export type NoteSettings = z.infer<typeof noteSettingsSchema>;

/**
 * A sticky note on the canvas (n8n's sticky notes, Node-RED's comment node): text for whoever reads the flow next.
 * It has no ports, so nothing reaches it and it never runs.
 */
export const noteSpec: NodeSpec<typeof noteSettingsSchema> = {
  type: 'note',
  version: 1,
  category: 'utility',
  title: 'Sticky note',
  description: 'Text on the canvas for whoever reads the flow next: what it is for, who to ask, what to watch out for. It is not connected and never runs.',
  icon: 'note',
  settings: noteSettingsSchema,
  inputs: [],
  outputs: () => [],
  subtitle: (s) => s.text.split('\n')[0] ?? '',
  fields: [
    { key: 'text', label: 'Text', widget: 'textarea', placeholder: 'What this flow does, who owns it, ticket numbers…' },
    { key: 'color', label: 'Colour', widget: 'select', options: NOTE_COLORS.map((c) => ({ value: c, label: c })) },
    { key: 'width', label: 'Width (px)', widget: 'number', group: 'Size', help: 'Or drag the edges of the selected note on the canvas.' },
    { key: 'height', label: 'Height (px)', widget: 'number', group: 'Size', placeholder: 'fits the text', help: 'Empty: the note is as tall as its text.' },
  ],
  example: { text: 'Orders from ITscope go to the ERP. Owner: integration team (OPS-42).', color: 'yellow' },
};
