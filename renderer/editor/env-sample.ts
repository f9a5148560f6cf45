import type { EnvironmentsState } from '../../core/host/api';

/**
 * `$env` as the editors know it: the active environment's variables (a secret one as a placeholder, its value
 * never reaches the studio). Completion offers these names, the template check marks other names, and the
 * editors' local previews render with these values. The process environment's own variables are not shown.
 */
let current: Record<string, string> = {};

export const SECRET_PLACEHOLDER = '(secret)';

export function setEnvSample(state: EnvironmentsState | null | undefined): void {
  const active = state?.environments.find((e) => e.name === state.active);
  current = Object.fromEntries((active?.variables ?? []).filter((v) => v.secret || v.value).map((v) => [v.name, v.secret ? SECRET_PLACEHOLDER : v.value!]));
}

export function envSample(): Record<string, string> {
  return current;
}
