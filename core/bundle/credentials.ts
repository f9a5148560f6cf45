import type { Flow } from '../model/flow';
import { formatPath, joinPath, type Problem } from '../model/problems';
import { checkConnection, CREDENTIAL_HEADER, urlPasswordProblems } from './connections';

/**
 * Credentials typed into a flow's nodes instead of named secrets: a literal value of a credential header
 * (`Authorization: Bearer abc…`, `X-Api-Key: …`) in any `headers` list of a node's settings, and what
 * `checkConnection` refuses in a node's inline `connection`. A saved connection holding one is refused at export;
 * these would travel in the bundle file just the same. A value computed by a template (`{{ … }}`) holds no
 * literal credential and passes.
 *
 * @example
 * flowCredentialProblems([flow], 'flows')
 * // [{ path: 'flows[0].nodes[1].settings.headers[0].value', message: 'holds a plaintext credential for header "Authorization": …' }]
 */
export function flowCredentialProblems(flows: Array<Pick<Flow, 'id' | 'nodes'>>, prefix = 'flows'): Problem[] {
  const problems: Problem[] = [];
  flows.forEach((flow, i) =>
    flow.nodes.forEach((node, j) => {
      const at = `${prefix}[${i}].nodes[${j}].settings`;
      const add = (p: Omit<Problem, 'nodeId'>) => problems.push({ ...p, nodeId: node.id });
      const walk = (v: unknown, path: PropertyKey[]) => {
        if (Array.isArray(v)) v.forEach((x, k) => walk(x, [...path, k]));
        else if (v && typeof v === 'object')
          for (const [k, x] of Object.entries(v)) {
            if (k === 'connection' && path.length === 0 && x && typeof x === 'object' && !Array.isArray(x)) continue;
            if (k === 'headers' && Array.isArray(x)) headerProblems(x, joinPath(at, formatPath([...path, k]))).forEach(add);
            walk(x, [...path, k]);
          }
      };
      walk(node.settings, []);
      // The inline connection's URLs are checkConnection's (below), so each is named once.
      urlPasswordProblems(node.settings, at, (path) => path.length === 1 && path[0] === 'connection').forEach(add);
      const inline = (node.settings as { connection?: unknown }).connection;
      if (inline && typeof inline === 'object' && !Array.isArray(inline)) {
        // The inline schema fills id and name; unknown fields are the node schema's business, credentials are ours.
        const { problems: found } = checkConnection({ id: 'inline', name: 'inline connection', ...inline }, `${at}.connection`);
        found.filter((p) => p.severity !== 'warning' && /plaintext credential|password in the URL/.test(p.message)).forEach(add);
      }
    }),
  );
  return problems;
}

function headerProblems(headers: unknown[], at: string): Array<Omit<Problem, 'nodeId'>> {
  const out: Array<Omit<Problem, 'nodeId'>> = [];
  headers.forEach((h, k) => {
    const { name, value } = (h ?? {}) as { name?: unknown; value?: unknown };
    if (typeof name !== 'string' || typeof value !== 'string' || !value.trim() || value.includes('{{')) return;
    if (CREDENTIAL_HEADER.test(name))
      out.push({ path: `${at}[${k}].value`, code: 'invalid_value', message: `holds a plaintext credential for header "${name}": a bundle names secrets, never their values; send it through the node's or a saved connection's auth (Bearer token, API key, or Custom headers with a secret)` });
  });
  return out;
}

/** Variable names that say they hold a credential (`ERP_PASSWORD`, `CLIENT_SECRET`, `ITSCOPE_API_KEY`; not `TOKEN_URL`). */
const CREDENTIAL_VARIABLE = /(^|_)(PASS|PASSWD|PASSWORD|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|SECRET_?KEY|CREDENTIALS?)$/i;

/** A variable named like a credential (`ERP_PASSWORD`, `…_TOKEN`) that holds a plain value instead of being secret. */
export function isPlainCredential(v: { name: string; value?: string; secret?: boolean }): boolean {
  return !v.secret && !!v.value && CREDENTIAL_VARIABLE.test(v.name);
}

/**
 * Environment variables whose name says they hold a credential but that carry a plain value (`"secret": false`), so
 * the value would be written into the bundle. A secret variable's value is never exported (it comes from the secret
 * store by name); marking it secret is the fix.
 *
 * @example
 * environmentCredentialProblems([{ name: 'prod', variables: [{ name: 'ERP_PASSWORD', value: 'x', secret: false }] }])
 * // [{ path: 'environments[0].variables[0].value', message: 'variable ERP_PASSWORD looks like a credential: …' }]
 */
export function environmentCredentialProblems(environments: Array<{ name: string; variables: Array<{ name: string; value?: string; secret?: boolean }> }>, envPath: (i: number, name: string) => string = (i) => `environments[${i}]`): Problem[] {
  const problems: Problem[] = [];
  environments.forEach((e, i) =>
    e.variables.forEach((v, j) => {
      if (!isPlainCredential(v)) return;
      problems.push({
        path: `${envPath(i, e.name)}.variables[${j}].value`,
        code: 'invalid_value',
        message: `variable ${v.name} of environment "${e.name}" looks like a credential and has a plain value, which a bundle would carry: mark it "secret": true (serve then reads it as the secret ${v.name}), or leave the value out and set ${v.name} on the server`,
      });
    }),
  );
  return problems;
}
