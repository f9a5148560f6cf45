import type { z } from 'zod';
import { formatPath, joinPath, type Problem } from './problems';

/** Turns zod issues into plain-language problems with JSON paths. */
export function zodProblems(error: z.ZodError, prefix = '', nodeId?: string): Problem[] {
  return error.issues.map((issue) => ({
    path: joinPath(prefix, formatPath(issue.path as PropertyKey[])),
    code: isMissing(issue) ? 'required' : 'invalid_value',
    message: isDefaultMessage(issue.message) ? plainMessage(issue) : issue.message,
    ...(nodeId ? { nodeId } : {}),
  }));
}

/** zod's own wording (`Invalid input: ...`, `Too small: ...`) is replaced; messages a schema sets are kept. */
function isDefaultMessage(m: string): boolean {
  return /^(Invalid|Too (small|big)|Unrecognized|Expected)/.test(m);
}

function isMissing(issue: z.core.$ZodIssue): boolean {
  return issue.code === 'invalid_type' && ((issue as any).input === undefined && /received undefined/.test(issue.message));
}

function plainMessage(issue: z.core.$ZodIssue): string {
  const i = issue as any;
  switch (issue.code) {
    case 'invalid_type':
      if (isMissing(issue)) return 'is required';
      if (i.expected === 'int') return 'must be an integer';
      return `must be ${article(i.expected)}${i.expected}`;
    case 'too_small':
      if (i.origin === 'string') return i.minimum === 1 ? 'must not be empty' : `must be at least ${i.minimum} characters`;
      if (i.origin === 'array' || i.origin === 'set') return i.minimum === 1 ? 'must have at least one entry' : `must have at least ${i.minimum} entries`;
      return `must be ${i.inclusive ? 'at least' : 'greater than'} ${i.minimum}`;
    case 'too_big':
      if (i.origin === 'string') return `must be at most ${i.maximum} characters`;
      if (i.origin === 'array') return `must have at most ${i.maximum} entries`;
      return `must be ${i.inclusive ? 'at most' : 'less than'} ${i.maximum}`;
    case 'invalid_value':
      // The value found, when the parse kept it (`reportInput`): a "1" that should be 1 is then plain to see.
      return `must be one of ${i.values.map((v: unknown) => JSON.stringify(v)).join(', ')}${'input' in i ? `, got ${i.input === undefined ? 'nothing' : shortJson(i.input)}` : ''}`;
    case 'invalid_format':
      return i.format === 'regex' ? (issue.message || 'has an invalid format') : `must be a valid ${i.format}`;
    case 'unrecognized_keys':
      return `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k: string) => JSON.stringify(k)).join(', ')}`;
    case 'invalid_union':
      return issue.message && !issue.message.startsWith('Invalid input') ? issue.message : 'does not match any allowed form';
    default:
      return issue.message;
  }
}

function article(t: string): string {
  if (t === 'array' || t === 'object' || t === 'integer') return 'an ';
  if (t === 'number' || t === 'string' || t === 'boolean') return 'a ';
  return '';
}

function shortJson(v: unknown): string {
  const t = JSON.stringify(v) ?? String(v);
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}
