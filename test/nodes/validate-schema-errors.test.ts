import { describe, expect, it } from 'vitest';
import { compileJsonSchema } from '../../core/nodes/validate/run';
import { ProblemsError } from '../../core/model/problems';

/** The problems a deploy reports for a schema, as [path, message]. */
function problems(schema: unknown): Array<[string, string]> {
  try {
    compileJsonSchema(schema, { at: 'nodes[2].settings.schema', nodeId: 'v' });
  } catch (e) {
    if (e instanceof ProblemsError) return e.problems.map((p) => [p.path, p.message]);
    throw e;
  }
  return [];
}

const TYPES = '("array", "boolean", "integer", "null", "number", "object", "string")';

describe('a mistake in a Validate schema is one problem at its place', () => {
  it('a misspelt type names the allowed types, without the other alternatives ajv tried', () => {
    expect(problems({ type: 'object', properties: { orderId: { type: 'strin' } } })).toEqual([
      ['nodes[2].settings.schema.properties.orderId.type', `must be equal to one of the allowed values ${TYPES}`],
    ]);
  });

  it('a bad entry of a type list is named by its index', () => {
    expect(problems({ type: ['string', 'nul'] })).toEqual([['nodes[2].settings.schema.type[1]', `must be equal to one of the allowed values ${TYPES}`]]);
  });

  it('mistakes elsewhere are all still reported', () => {
    expect(problems({ type: 'object', required: 'orderId', properties: { qty: { minimum: '1', type: 'strng' } } })).toEqual([
      ['nodes[2].settings.schema.required', 'must be array'],
      ['nodes[2].settings.schema.properties.qty.minimum', 'must be number'],
      ['nodes[2].settings.schema.properties.qty.type', `must be equal to one of the allowed values ${TYPES}`],
    ]);
  });
});
