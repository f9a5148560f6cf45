import type { Flow } from '../model/flow';
import { formatPath, joinPath, type Problem } from '../model/problems';
import { checkConnection, CREDENTIAL_HEADER } from './connections';

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
      const inline = (node.settings as { connection?: unknown }).connection;
      if (inline && typeof inline === 'object' && !Array.isArray(inline)) {
        // The inline schema fills id and name; unknown fields are the node schema's business, credentials are ours.
        const { problems: found } = checkConnection({ id: 'inline', name: 'inline connection', ...inline }, `${at}.connection`);
        found.filter((p) => p.severity !== 'warning' && /plaintext credential/.test(p.message)).forEach(add);
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
