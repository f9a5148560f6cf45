import { Masker } from '../http/mask';
import { secretEnvValues } from '../model/secret-env';
import type { StepRecord } from './events';

/**
 * Secret `$env` variables (an environment's secret variables) in execution records. Any node can read them (a
 * template putting a token in a body, a Set node copying it into the data), so every step's record is masked,
 * not only the traffic of the node that sent it. The messages the nodes pass on keep the real values: only
 * what is recorded and shown is masked. Undefined when the env has no secret variable set, which is the usual
 * case: then nothing is copied.
 */
export function recordMasker(env: Readonly<Record<string, string>>): Masker | undefined {
  const values = secretEnvValues(env);
  return values.length ? new Masker({ secretValues: values }) : undefined;
}

/** Masks a step record in place (copying only the parts that hold a secret value). */
export function maskStep(step: StepRecord, m: Masker): void {
  const input = step.input;
  if (input !== undefined) step.input = m.value(input);
  // An output that is its input stays the same object, so the store still keeps it once.
  if (step.output !== undefined) step.output = step.output === input ? step.input : m.value(step.output);
  if (step.error) step.error = m.value(step.error);
  if (step.attempts) step.attempts = m.value(step.attempts);
}

/** `v` as recorded with masker `m` (see recordMasker): itself when there is nothing to mask. */
export function masked<T>(m: Masker | undefined, v: T): T {
  return m && v !== undefined ? m.value(v) : v;
}
