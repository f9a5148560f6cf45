import type { FlowNode } from '../../core/model/flow';
import { rowLabel } from '../../core/model/field-labels';
import { DISABLED_NOTE, type Problem } from '../../core/model/problems';
import { zodProblems } from '../../core/model/zod-problems';
import type { AnyNodeSpec, FieldSpec } from '../../core/nodes/spec-types';

/**
 * Problems of one node per settings path (`auth.keys[0].label`): the spec's schema on the current settings,
 * plus what only the host can see (template syntax, missing secrets). The host's list is for the last save,
 * so where the schema already judges the current value at a path, the host's (possibly stale) verdict there
 * is dropped: 2.5 retries is "must be an integer", not also the "must be at least 0" of the value before.
 */
export function nodeFieldErrors(spec: AnyNodeSpec | undefined, node: Pick<FlowNode, 'id' | 'settings'>, serverProblems: readonly Problem[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  const add = (path: string, msg: string) => m.set(path, [...(m.get(path) ?? []), msg]);
  if (spec) {
    const r = spec.settings.safeParse(node.settings);
    if (!r.success) for (const p of zodProblems(r.error)) add(p.path, p.message);
  }
  const local = new Set(m.keys());
  for (const p of serverProblems) {
    if (p.nodeId !== node.id || p.severity === 'warning') continue;
    const rel = settingsPath(p.path);
    if (rel && !local.has(rel) && !(m.get(rel) ?? []).includes(p.message)) add(rel, p.message);
  }
  return m;
}

/** `auth.keys[0].label` of `nodes[2].settings.auth.keys[0].label`; '' for a path outside the settings. */
function settingsPath(path: string): string {
  const i = path.indexOf('.settings.');
  return i >= 0 ? path.slice(i + '.settings.'.length) : '';
}

/** Warnings about a node's fields (they do not stop a deploy, e.g. a Respond nobody waits for), per settings path. */
export function nodeFieldWarnings(node: Pick<FlowNode, 'id'>, serverProblems: readonly Problem[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const p of serverProblems) {
    const rel = settingsPath(p.path);
    if (p.nodeId !== node.id || p.severity !== 'warning' || !rel) continue;
    if (!(m.get(rel) ?? []).includes(p.message)) m.set(rel, [...(m.get(rel) ?? []), p.message]);
  }
  return m;
}

/**
 * Errors and warnings of one node's fields. A disabled node's broken settings are warnings, as the host's
 * validation reports them (a deploy goes ahead, the node passes messages through): the schema's verdict on the
 * current value is shown in amber with the host's "(the node is disabled)", in place of the host's for the last save.
 */
export function nodeFieldProblems(
  spec: AnyNodeSpec | undefined,
  node: Pick<FlowNode, 'id' | 'settings' | 'disabled'>,
  serverProblems: readonly Problem[],
): { errors: Map<string, string[]>; warnings: Map<string, string[]> } {
  const errors = nodeFieldErrors(spec, node, serverProblems);
  const warnings = nodeFieldWarnings(node, serverProblems);
  if (!node.disabled) return { errors, warnings };
  for (const [path, msgs] of errors) warnings.set(path, msgs.map((m) => (m.endsWith(DISABLED_NOTE) ? m : `${m}${DISABLED_NOTE}`)));
  return { errors: new Map(), warnings };
}

export interface FieldError {
  text: string;
  /** Settings path below the field (`[0].name`), '' for the field itself. */
  rest: string;
}

/** Errors of one field; those inside a list name the row and column ("Row 1 · Name: is required"). */
export function errorsFor(errors: Map<string, string[]>, field: Pick<FieldSpec, 'key' | 'widget' | 'itemFields'>): FieldError[] {
  const key = field.key;
  const out: FieldError[] = [];
  for (const [path, msgs] of errors) {
    if (path === key) out.push(...msgs.map((m) => ({ text: m, rest: '' })));
    else if (path.startsWith(`${key}.`) || path.startsWith(`${key}[`)) {
      const rest = path.slice(key.length);
      out.push(...msgs.map((m) => ({ text: `${rowLabel(field, rest)}: ${m}`, rest })));
    }
  }
  return out;
}
