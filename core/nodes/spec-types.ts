import type { z } from 'zod';

/** Browser-safe description of a node type: settings schema, ports, UI hints. Declared once per type. */
export type NodeCategory = 'trigger' | 'processing' | 'outbound' | 'utility';

export type FieldWidget =
  | 'text'
  | 'textarea'
  | 'number'
  | 'select'
  | 'multiselect'
  | 'toggle'
  | 'keyValue'
  | 'list'
  | 'secret'
  | 'apiKeys'
  | 'expression'
  | 'template'
  | 'json'
  | 'connection'
  | 'certificate';

export interface FieldSpec {
  /** Dotted path into the settings object, e.g. `auth.header`. */
  key: string;
  label: string;
  widget: FieldWidget;
  help?: string;
  placeholder?: string;
  options?: ReadonlyArray<{ value: string; label: string }>;
  /** A `select` whose absent value means one of its options (e.g. no inline connection: auth `none`) shows that option. */
  unset?: string;
  /** Shown only when every listed settings path has one of the listed values. */
  visibleWhen?: Record<string, ReadonlyArray<unknown>>;
  /** Section title in the inspector; fields without one go to the top. */
  group?: string;
  /** Hidden behind "Add option" until set (progressive disclosure). */
  advanced?: boolean;
  /** A template that is usually one line (a URL): its editor starts one line tall, without line numbers, and grows with the text. */
  oneLine?: boolean;
  /** Editor language for template / expression / json widgets. */
  language?: 'json' | 'xml' | 'text' | 'jsonata';
  /**
   * What an expression field reads: the message (default), or the request as received (`body`, `query`, `headers`,
   * `params`, `method`, `path`; see requestView), as a webhook's partition and idempotency keys do. The inspector
   * completes, previews and checks it against the same.
   */
  scope?: 'request';
  /** Columns of a `list` widget's rows. */
  itemFields?: ReadonlyArray<FieldSpec>;
}

export interface PortSpec {
  id: string;
  label: string;
}

export interface NodeSpec<S extends z.ZodType = z.ZodType> {
  type: string;
  version: number;
  category: NodeCategory;
  title: string;
  description: string;
  /** Short icon name the studio maps to a glyph. */
  icon: string;
  settings: S;
  fields: ReadonlyArray<FieldSpec>;
  /** Input ports; triggers have none. */
  inputs: ReadonlyArray<PortSpec>;
  /** Output ports; may depend on settings (switch outputs). The `error` port is added when onError is `route`. */
  outputs: (settings: z.infer<S>) => PortSpec[];
  /** One line under the title on the canvas: method + path, target host, template kind. */
  subtitle?: (settings: z.infer<S>) => string;
  /** A complete example node settings object, used in the README node reference and in tests. */
  example?: Record<string, unknown>;
}

export type AnyNodeSpec = NodeSpec<z.ZodType>;

export const ERROR_PORT: PortSpec = { id: 'error', label: 'error' };

/** Reads a dotted path from a settings object. */
export function getPath(obj: unknown, path: string): unknown {
  let cur: any = obj;
  for (const part of path.split('.')) {
    if (cur == null || typeof cur !== 'object') return undefined;
    cur = cur[part];
  }
  return cur;
}

/**
 * Whether a field is shown for these settings. The inspector and runtime validation both call this,
 * so a hidden field is never reported as a problem the user cannot see.
 */
export function isFieldVisible(field: Pick<FieldSpec, 'visibleWhen'>, values: unknown): boolean {
  if (!field.visibleWhen) return true;
  return Object.entries(field.visibleWhen).every(([path, allowed]) => allowed.includes(getPath(values, path)));
}

/** Output ports of a node with its settings, including `error` when errors are routed. */
export function portsOf(spec: AnyNodeSpec, settings: unknown, onError: string | undefined): PortSpec[] {
  const ports = spec.outputs(settings as never);
  if (onError === 'route' && !ports.some((p) => p.id === ERROR_PORT.id)) ports.push(ERROR_PORT);
  return ports;
}
