import type { z } from 'zod';
import { formatPath, joinPath, type Problem } from './problems';

/** Turns zod issues into plain-language problems with JSON paths. */
export function zodProblems(error: z.ZodError, prefix = '', nodeId?: string): Problem[] {
  return error.issues.map((issue) => ({
    path: joinPath(prefix, formatPath(issue.path as PropertyKey[])),
    code: issue.code === 'invalid_type' && (issue as any).input === undefined ? 'required' : 'invalid_value',
    message: plainMessage(issue),
    ...(nodeId ? { nodeId } : {}),
  }));
}

function plainMessage(issue: z.core.$ZodIssue): string {
  const i = issue as any;
  switch (issue.code) {
    case 'invalid_type':
      if (i.input === undefined) return 'is required';
      return `must be ${article(i.expected)}${i.expected}`;
    case 'too_small':
      if (i.origin === 'string') return i.minimum === 1 ? 'must not be empty' : `must be at least ${i.minimum} characters`;
      if (i.origin === 'array' || i.origin === 'set') return i.minimum === 1 ? 'must have at least one entry' : `must have at least ${i.minimum} entries`;
      if (i.minimum === 0 && !i.inclusive) return 'must be positive';
      return `must be ${i.inclusive ? 'at least' : 'greater than'} ${i.minimum}`;
    case 'too_big':
      if (i.origin === 'string') return `must be at most ${i.maximum} characters`;
      if (i.origin === 'array') return `must have at most ${i.maximum} entries`;
      return `must be ${i.inclusive ? 'at most' : 'less than'} ${i.maximum}`;
    case 'invalid_value':
      return `must be one of ${i.values.map((v: unknown) => JSON.stringify(v)).join(', ')}`;
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
