import type { EnvironmentChange, EnvironmentInfo, EnvironmentInput } from '../../core/host/api';

/** How flows can read a variable as `$env.NAME`: the same rule the host checks. */
export const VARIABLE_NAME_HINT = 'Names: letters, digits and "_", not starting with a digit (read as $env.NAME).';

/**
 * The Environments page edits a draft: the environment's name and one row per variable. A secret row's value
 * is write-only: `secretValue` holds what was typed (sent as `secretValues`, never shown back); `set` says
 * whether the host stores one.
 */
export interface VarRow {
  /** Stable React key: rows shift when one is removed. */
  key: string;
  name: string;
  value: string;
  secret: boolean;
  description: string;
  secretValue: string;
  set: boolean;
  /** Set only by the shared secret of its name (see EnvironmentVariableInfo.shared). */
  shared?: boolean;
}

export interface EnvDraft {
  name: string;
  rows: VarRow[];
}

export type VarField = 'name' | 'value' | 'description';

/** Field errors from the host, per row as the page shows them; `other`: what names no field of the draft. */
export interface DraftErrors {
  name: string[];
  rows: Array<Partial<Record<VarField, string[]>>>;
  other: string[];
}

let seq = 0;
const nextKey = () => `var-${++seq}`;

export function emptyVar(): VarRow {
  return { key: nextKey(), name: '', value: '', secret: false, description: '', secretValue: '', set: false };
}

/** The draft of a saved environment, or of a new one (no name, one empty row to type into). */
export function draftOf(env?: EnvironmentInfo): EnvDraft {
  if (!env) return { name: '', rows: [emptyVar()] };
  return {
    name: env.name,
    rows: env.variables.map((v) => ({ key: nextKey(), name: v.name, value: v.value ?? '', secret: v.secret, description: v.description ?? '', secretValue: '', set: !!v.set, shared: v.shared })),
  };
}

/**
 * A new environment from another one (Postman's Duplicate): its variables, plain values and descriptions under a
 * name not taken yet ("dev copy", "dev copy 2"). Secret values are not copied: each environment keeps its own, so
 * they are typed for the copy (until then it reads the shared secret of the name, if there is one).
 */
export function copyDraftOf(env: EnvironmentInfo, taken: string[]): EnvDraft {
  let name = `${env.name} copy`;
  for (let n = 2; taken.includes(name); n++) name = `${env.name} copy ${n}`;
  return { name, rows: draftOf(env).rows.map((r) => ({ ...r, set: false, shared: undefined })) };
}

const isBlank = (r: VarRow) => !r.name.trim() && !r.value && !r.description.trim() && !r.secretValue;

/**
 * What Save sends: the environment (blank rows left out; a plain variable without a value has none, so the
 * process environment may give it one), the values typed for secret variables, and for each row its index in
 * `variables` (-1: blank), which maps the host's `variables[i].…` problems back to rows.
 */
export function saveInput(d: EnvDraft): { env: EnvironmentInput; secretValues: Record<string, string>; index: number[] } {
  const index: number[] = [];
  const variables: EnvironmentInput['variables'] = [];
  const secretValues: Record<string, string> = {};
  for (const r of d.rows) {
    if (isBlank(r)) {
      index.push(-1);
      continue;
    }
    index.push(variables.length);
    const name = r.name.trim();
    const description = r.description.trim();
    variables.push({ name, ...(!r.secret && r.value !== '' ? { value: r.value } : {}), secret: r.secret, ...(description ? { description } : {}) });
    if (r.secret && r.secretValue) secretValues[name] = r.secretValue;
  }
  return { env: { name: d.name.trim(), variables }, secretValues, index };
}

/** Whether Save has anything to do: the draft differs from the saved environment or a secret value was typed. */
export function isEdited(d: EnvDraft, saved?: EnvironmentInfo): boolean {
  const now = saveInput(d);
  return JSON.stringify(now.env) !== JSON.stringify(saveInput(draftOf(saved)).env) || Object.keys(now.secretValues).length > 0;
}

/** Turns the secret switch: a value typed so far moves along (into the write-only field, or back out of it). */
export function toggleSecret(r: VarRow, secret: boolean): VarRow {
  if (secret === r.secret) return r;
  return secret ? { ...r, secret, secretValue: r.value, value: '' } : { ...r, secret, value: r.secretValue, secretValue: '' };
}

const ROW_PATH = /^variables\[(\d+)\](?:\.(\w+))?/;

/**
 * Sorts the host's problems (paths `name`, `variables[2].name`, `variables[1].value`) onto the fields of the
 * draft; `index` is saveInput's. Problems about a whole variable go to its name; the rest to `other`.
 */
export function draftErrors(problems: Array<{ path?: string; message: string }> | undefined, fallback: string, index: number[]): DraftErrors {
  const out: DraftErrors = { name: [], rows: index.map(() => ({})), other: [] };
  if (!problems?.length) return { ...out, other: [fallback] };
  for (const p of problems) {
    const path = p.path ?? '';
    if (path === 'name') {
      out.name.push(p.message);
      continue;
    }
    const m = ROW_PATH.exec(path);
    const row = m ? index.indexOf(Number(m[1])) : -1;
    if (row < 0) {
      out.other.push(path ? `${path}: ${p.message}` : p.message);
      continue;
    }
    const field: VarField = m![2] === 'value' || m![2] === 'description' ? m![2] : 'name';
    (out.rows[row][field] ??= []).push(p.message);
  }
  return out;
}

/** The errors left once the user edits a field (it may be right now) or removes a row (the rest move up). */
export function withoutError(e: DraftErrors | null, at: { row: number; field?: VarField; removed?: boolean } | 'name'): DraftErrors | null {
  if (!e) return e;
  if (at === 'name') return { ...e, name: [] };
  const rows = at.removed ? e.rows.filter((_, i) => i !== at.row) : e.rows.map((r, i) => (i === at.row && at.field ? { ...r, [at.field]: undefined } : r));
  return { ...e, rows };
}

export const hasErrors = (e: DraftErrors | null) => !!e && (e.name.length > 0 || e.other.length > 0 || e.rows.some((r) => Object.values(r).some((l) => l?.length)));

/** The toast after a change: `Environment "dev" is active: 2 deployed flows redeployed`, and what failed. */
export function changeText(what: string, c: EnvironmentChange): string {
  const n = c.redeployed.length;
  const redeployed = n ? `: ${n} deployed flow${n === 1 ? '' : 's'} redeployed` : '';
  const failed = c.failed.length ? `; ${c.failed.length} kept the old values (${c.failed.map((f) => `${f.flowId}: ${f.message}`).join('; ')})` : '';
  return `${what}${redeployed}${failed}`;
}
