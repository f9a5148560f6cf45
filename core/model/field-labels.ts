import type { AnyNodeSpec, FieldSpec } from '../nodes/spec-types';
import type { Problem } from './problems';

/**
 * Human labels for problem paths, from the node specs' UI hints: `nodes[2].settings.retry.retryCount` is
 * "Web Integration › Retry count", `queryParams[0].name` is "Query parameters › Row 1 · Name". The path
 * itself stays on the problem (the studio shows it as a tooltip; the CLI prints it).
 */

/** `retryCount` -> "Retry count", `valueSecret` -> "Value secret". */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? words[0].toUpperCase() + words.slice(1) : key;
}

type Segment = string | number;

/** `a.b[2].c` / `[0].name` -> ['a', 'b', 2, 'c'] / [0, 'name'] (quoted keys `["x.y"]` included). */
export function parsePath(path: string): Segment[] {
  const out: Segment[] = [];
  const re = /\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([^.[\]]+)/g;
  for (let m = re.exec(path); m; m = re.exec(path)) {
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined) out.push(JSON.parse(m[2]) as string);
    else out.push(m[3]);
  }
  return out;
}

const ROW_NOUN: Partial<Record<FieldSpec['widget'], string>> = { apiKeys: 'Key' };
const COLUMN_LABEL: Record<string, string> = { name: 'Name', value: 'Value', label: 'Label' };

/**
 * What is wrong inside a field, relative to it: `[0].name` -> "Row 1 · Name". Empty for the field itself.
 *
 * @example
 * rowLabel(queryParamsField, '[1].default'); // "Row 2 · Default"
 */
export function rowLabel(field: Pick<FieldSpec, 'widget' | 'itemFields'> | undefined, rest: string): string {
  const segs = parsePath(rest);
  const parts: string[] = [];
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    if (typeof s === 'number') {
      const col = segs[i + 1];
      const item = typeof col === 'string' ? field?.itemFields?.find((c) => c.key === col) : undefined;
      const row = `${(field && ROW_NOUN[field.widget]) ?? 'Row'} ${s + 1}`;
      if (typeof col === 'string') {
        parts.push(`${row} · ${item?.label ?? COLUMN_LABEL[col] ?? humanizeKey(col)}`);
        i++;
      } else parts.push(row);
    } else parts.push(field?.widget === 'keyValue' && i === 0 ? `“${s}”` : humanizeKey(s));
  }
  return parts.join(' › ');
}

/** The spec field that owns a settings path (the longest key that is a prefix of it). */
export function fieldForPath(fields: ReadonlyArray<FieldSpec>, rel: string): FieldSpec | undefined {
  let best: FieldSpec | undefined;
  for (const f of fields) {
    if ((rel === f.key || rel.startsWith(`${f.key}.`) || rel.startsWith(`${f.key}[`)) && (!best || f.key.length > best.key.length)) best = f;
  }
  return best;
}

/**
 * A settings path as the inspector names it.
 *
 * @example
 * settingsLabel(httpRequestSpec.fields, 'retry.retryCount'); // "Retry count"
 */
export function settingsLabel(fields: ReadonlyArray<FieldSpec>, rel: string): string {
  const f = fieldForPath(fields, rel);
  if (!f) return rowLabel(undefined, rel);
  const rest = rowLabel(f, rel.slice(f.key.length));
  return rest ? `${f.label} › ${rest}` : f.label;
}

export interface LabelNode {
  id: string;
  type: string;
  name?: string;
}

/**
 * A problem of a flow in words: "Web Integration › Retry count: must be at most 5". Node problems are
 * named after the node (its name, else its type's title); flow-level paths are humanised.
 *
 * @example
 * problemText({ path: 'nodes[2].settings.retry.retryCount', message: 'must be at most 5', code: 'invalid_value', nodeId: 'call' }, flow.nodes, findSpec);
 */
export function problemText(p: Problem, nodes: ReadonlyArray<LabelNode>, findSpec: (type: string) => AnyNodeSpec | undefined): string {
  const label = problemLabel(p, nodes, findSpec);
  return label ? `${label}: ${p.message}` : p.message;
}

export function problemLabel(p: Problem, nodes: ReadonlyArray<LabelNode>, findSpec: (type: string) => AnyNodeSpec | undefined): string {
  const m = /^nodes\[(\d+)\](?:\.(.*))?$/.exec(p.path);
  const node = (p.nodeId ? nodes.find((n) => n.id === p.nodeId) : undefined) ?? (m ? nodes[Number(m[1])] : undefined);
  if (!m || !node) return p.path ? rowLabel(undefined, p.path) : '';
  const spec = findSpec(node.type);
  const nodeName = node.name || spec?.title || node.id;
  const rest = m[2] ?? '';
  if (!rest) return nodeName;
  if (rest === 'settings') return `${nodeName} › Settings`;
  if (rest.startsWith('settings.')) return `${nodeName} › ${settingsLabel(spec?.fields ?? [], rest.slice('settings.'.length))}`;
  return `${nodeName} › ${rowLabel(undefined, rest)}`;
}
