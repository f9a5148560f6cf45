/**
 * The studio's environments as the host API shows them (browser-safe types; see environment-ops.ts).
 * Like Postman's environments: named sets of variables, one of them active; flows read it as `$env`.
 */

export interface EnvironmentVariableInfo {
  name: string;
  /** Plain value; never present for a secret variable (its value is write-only). */
  value?: string;
  secret: boolean;
  description?: string;
  /** Secret variables: whether the environment has a value (its own, or the shared secret of the same name). */
  set?: boolean;
  /** Secret variables set only by the shared secret of the same name (Secrets page), none of this environment's own. */
  shared?: boolean;
}

export interface EnvironmentInfo {
  name: string;
  variables: EnvironmentVariableInfo[];
  /** Variables with neither a value here nor one in the studio's process environment (secret: none stored). */
  missing: string[];
}

export interface EnvironmentsState {
  /** The environment flows read as `$env`; null: the studio's process environment only. */
  active: string | null;
  environments: EnvironmentInfo[];
}

/** What a change did: the new state, and the deployed flows redeployed so that they read the new values. */
export interface EnvironmentChange {
  state: EnvironmentsState;
  redeployed: string[];
  /** Deployed flows that the new values broke (they keep running as they were); `message` names the problem. */
  failed: Array<{ flowId: string; message: string }>;
}

/** One environment as the studio saves it; `secretValues` go to the secret store (blank keeps the stored value). */
export interface EnvironmentInput {
  name: string;
  variables: Array<{ name: string; value?: string; secret?: boolean; description?: string }>;
}
