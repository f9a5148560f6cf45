import { flowSchema } from '../../core/model/flow';
import { zodProblems } from '../../core/model/zod-problems';

/**
 * Why a typed flow name cannot be used ("Name: must not be empty"), or null. Leading and trailing
 * blanks are dropped first, so a name of spaces is empty. The rule is the flow schema's.
 *
 * @example
 * flowNameError('   '); // "Name: must not be empty"
 */
export function flowNameError(name: string): string | null {
  const r = flowSchema.shape.name.safeParse(name.trim());
  return r.success ? null : `Name: ${zodProblems(r.error)[0]?.message ?? 'is not valid'}`;
}
