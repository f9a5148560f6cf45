import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { CompiledExpression } from '../../template/expression';
import { formatPath, ProblemsError, type Problem } from '../../model/problems';
import { compileSource } from '../parse/run';
import { evaluateOnMessage } from '../map/expression-support';
import { NodeError, type NodeRunner, type PrepareContext } from '../runner-types';
import type { ValidateSettings } from './spec';

/** One schema violation, as reported in `message.error.details` and in a 400 answer. */
export interface Violation {
  /** Where in the value, e.g. `lines[0].qty` ('' for the value itself). Missing and extra properties are named. */
  path: string;
  /** The same place as a JSON Pointer (`/lines/0/qty`). */
  pointer: string;
  message: string;
  /** The schema keyword that failed (`required`, `minimum`, `format`, ...). */
  keyword: string;
  params: Record<string, unknown>;
}

interface Prepared {
  source: CompiledExpression;
  check: ValidateFunction;
}

/** How many violations the error message lists. */
const MESSAGE_LIMIT = 5;
/** How many violations `details` carries: all of them for any real payload, bounded for a hostile one. */
export const MAX_VIOLATIONS = 1000;

export const validateRunner: NodeRunner<ValidateSettings, Prepared> = {
  type: 'validate',
  prepare: (s, ctx) => ({ source: compileSource(s.source, ctx), check: compileSchema(s, ctx) }),
  async run(input, ctx) {
    const value = await evaluateOnMessage(ctx.prepared.source, input, ctx.env, 'source');
    const violations = validateValue(ctx.prepared.check, value);
    if (violations.length) {
      const listed = violations.slice(0, MESSAGE_LIMIT).map((v) => (v.path ? `${v.path}: ${v.message}` : v.message));
      const more = violations.length > MESSAGE_LIMIT ? `; and ${violations.length - MESSAGE_LIMIT} more` : '';
      const count = violations.length >= MAX_VIOLATIONS ? `${MAX_VIOLATIONS} or more` : String(violations.length);
      throw new NodeError(`${count} validation error${violations.length > 1 ? 's' : ''}: ${listed.join('; ')}${more}`, 'validation_failed', violations, 400);
    }
    return { message: input };
  },
};

/**
 * Checks a value with a compiled schema and returns every violation (empty when valid).
 * @example
 * validateValue(ajv.compile({ required: ['id'] }), {}); // [{ path: 'id', pointer: '/id', message: 'is required', keyword: 'required', ... }]
 */
export function validateValue(check: ValidateFunction, value: unknown): Violation[] {
  // JSONata gives undefined for a missing value; the schema should see "nothing", which JSON calls null.
  if (check(value === undefined ? null : value)) return [];
  return (check.errors ?? []).slice(0, MAX_VIOLATIONS).map(toViolation);
}

/** Compiles the schema once per deploy; a broken schema is a deploy problem at `<node>.settings.schema.<where>`. */
function compileSchema(s: ValidateSettings, ctx: PrepareContext): ValidateFunction {
  return compileJsonSchema(s.schema, { at: `${ctx.path}.schema`, nodeId: ctx.node.id, strict: s.strictSchema });
}

/**
 * Compiles a JSON Schema (object or JSON text) with every error collected; a broken schema throws
 * ProblemsError at `at.<where in the schema>`. Also used for the webhook trigger's request body schema.
 */
export function compileJsonSchema(schemaIn: unknown, o: { at: string; nodeId: string; strict?: boolean }): ValidateFunction {
  const at = o.at;
  const fail = (problems: Array<Pick<Problem, 'path' | 'message'>>): never => {
    throw new ProblemsError(problems.map((p) => ({ ...p, code: 'invalid_value', nodeId: o.nodeId })));
  };
  let schema: unknown = schemaIn;
  if (typeof schema === 'string') {
    try {
      schema = JSON.parse(schema);
    } catch (e) {
      fail([{ path: at, message: `is not valid JSON: ${(e as Error).message}` }]);
    }
  }
  // allErrors: a caller fixing a payload wants every problem at once, not one per round trip.
  const ajv = new Ajv({ allErrors: true, strict: o.strict ?? false, validateFormats: true });
  addFormats(ajv);
  if (!ajv.validateSchema(schema as object)) {
    fail(withoutAlternatives(ajv.errors ?? []).map((e) => ({ path: joinPointer(at, e.instancePath), message: `${e.message ?? 'is invalid'}${e.keyword === 'enum' ? ` (${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')})` : ''}` })));
  }
  let check: ValidateFunction;
  try {
    check = ajv.compile(schema as object);
  } catch (e) {
    return fail([{ path: at, message: (e as Error).message }]);
  }
  // An async validator returns a Promise, which is truthy: every value would pass.
  if ((check as { $async?: boolean }).$async) fail([{ path: `${at}.$async`, message: 'async schemas are not supported' }]);
  return check;
}

/**
 * One problem per mistake in a schema: where the meta-schema allows alternatives (`type` is a name or a list of
 * names, `items` a schema or a list), ajv reports every branch that failed plus "must match a schema in anyOf", so
 * `"type": "strin"` gave three problems, two of them ("must be array") beside the point. Keep the errors below that
 * place when there are any (the one bad entry of a list), else the first branch's (the list of allowed names).
 */
function withoutAlternatives(errors: ErrorObject[]): ErrorObject[] {
  const places = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  if (!places.size) return errors;
  const deeper = (p: string) => errors.some((e) => e.instancePath.startsWith(`${p}/`));
  const kept = new Set<string>();
  return errors.filter((e) => {
    if (!places.has(e.instancePath)) return true;
    if (e.keyword === 'anyOf' || deeper(e.instancePath) || kept.has(e.instancePath)) return false;
    kept.add(e.instancePath);
    return true;
  });
}

function pointerSegments(pointer: string): Array<string | number> {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((seg) => (/^(0|[1-9]\d*)$/.test(seg) ? Number(seg) : seg));
}

function joinPointer(prefix: string, pointer: string): string {
  const rest = formatPath(pointerSegments(pointer));
  return !rest ? prefix : rest.startsWith('[') ? prefix + rest : `${prefix}.${rest}`;
}

function toViolation(e: ErrorObject): Violation {
  const segs = pointerSegments(e.instancePath);
  let message = e.message ?? 'is invalid';
  // Name the property itself for missing and unexpected properties, so the path points at the field to fix.
  if (e.keyword === 'required' && typeof e.params.missingProperty === 'string') {
    segs.push(e.params.missingProperty);
    message = 'is required';
  } else if (e.keyword === 'additionalProperties' && typeof e.params.additionalProperty === 'string') {
    segs.push(e.params.additionalProperty);
    message = 'is not allowed';
  } else if (e.keyword === 'enum' && Array.isArray(e.params.allowedValues)) {
    message = `must be one of ${e.params.allowedValues.map((v: unknown) => JSON.stringify(v)).join(', ')}`;
  }
  const pointer = segs.length ? '/' + segs.map((x) => String(x).replace(/~/g, '~0').replace(/\//g, '~1')).join('/') : '';
  return { path: formatPath(segs), pointer, message, keyword: e.keyword, params: e.params as Record<string, unknown> };
}
