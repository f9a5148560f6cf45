/**
 * The one catalogue of user-facing problems. Every problem names the field it is about with a JSON
 * path (`nodes[2].settings.timeoutMs`) and says what is wrong in plain words.
 */
export type ProblemCode =
  | 'invalid_value'
  | 'required'
  | 'unknown_node_type'
  | 'unknown_node_version'
  | 'duplicate_id'
  | 'dangling_edge'
  | 'unknown_port'
  | 'edge_into_trigger'
  | 'cycle'
  | 'no_trigger'
  | 'unreachable'
  | 'route_conflict'
  | 'respond_unanswered'
  | 'expression_syntax'
  | 'template_syntax'
  | 'missing_secret'
  | 'missing_variable'
  | 'no_subscribers'
  | 'format_version'
  /** A key the schema does not know (a typo such as `timeoutMS`): a warning, the key is ignored. */
  | 'unknown_setting';

export interface Problem {
  /** JSON path of the offending field, e.g. `nodes[2].settings.timeoutMs`; '' for the whole document. */
  path: string;
  code: ProblemCode;
  message: string;
  /** Node id when the problem belongs to a node, so the studio can select it. */
  nodeId?: string;
  severity?: 'error' | 'warning';
}

/** Formats a path array as `a.b[2].c`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const s = String(seg);
      if (/^[A-Za-z_$][\w$]*$/.test(s)) out += out ? `.${s}` : s;
      else out += `[${JSON.stringify(s)}]`;
    }
  }
  return out;
}

export function joinPath(prefix: string, rest: string): string {
  if (!prefix) return rest;
  if (!rest) return prefix;
  return rest.startsWith('[') ? prefix + rest : `${prefix}.${rest}`;
}

/** `nodes[2].settings.timeoutMs: must be a positive integer` */
export function formatProblem(p: Problem): string {
  return p.path ? `${p.path}: ${p.message}` : p.message;
}

/** Error thrown by operations that fail with a list of problems (deploy, import, validate). */
export class ProblemsError extends Error {
  constructor(public readonly problems: Problem[], summary?: string) {
    super(summary ?? problems.map(formatProblem).join('\n'));
    this.name = 'ProblemsError';
  }
}

/** Added to a disabled node's problems, which are warnings (a deploy goes ahead; the node passes messages through). */
export const DISABLED_NOTE = ' (the node is disabled)';
