import { evaluatePath } from './path-eval';

/**
 * "Did you mean" for a path the sample does not have, from the habits of other tools: a bare name (Postman's
 * `{{orderId}}`), Node-RED's `payload` / `msg.payload`, Handlebars' `this` in a loop, a field of the loop item
 * written without the loop variable, and `body` / `query` / `headers` without `trigger`. Editor-time only.
 * @example
 * suggestPath(['orderId'], { data: { orderId: 'A1' } }); // 'data.orderId'
 * suggestPath(['this', 'sku'], { data: {}, line: { sku: 'S1' } }, ['line']); // 'line.sku'
 */
export function suggestPath(steps: readonly string[], scope: Record<string, unknown>, loops: readonly string[] = []): string | undefined {
  const [head, ...rest] = steps;
  const inner = [...loops].reverse();
  const candidates: string[][] = [];
  if (head === 'this' || head === '$this') candidates.push(...inner.map((l) => [l, ...rest]));
  if (head === 'msg' && rest[0] === 'payload') candidates.push(['data', ...rest.slice(1)]);
  if (head === 'payload' || head === '$json') candidates.push(['data', ...rest]);
  if (head === 'body' || head === 'query' || head === 'headers' || head === 'params') candidates.push(['trigger', ...steps]);
  if (head === 'data') candidates.push(...inner.map((l) => [l, ...rest]));
  if (head !== 'data' && head !== 'trigger' && head !== 'vars' && !head.startsWith('$') && !loops.includes(head)) {
    candidates.push(...inner.map((l) => [l, ...steps]), ['data', ...steps], ['trigger', 'body', ...steps], ['vars', ...steps]);
  }
  for (const c of candidates) if (evaluatePath(scope, c) !== undefined) return c.join('.');
  return undefined;
}

/** n8n's expression variables (`$json.orderId`, `$input.item.json`), unbound here: they give no value, silently. */
export function foreignVariableHint(source: string): string | undefined {
  const m = /^\$(json|input|node|item|items|binary|parameter|workflow|execution)\b/.exec(source);
  return m ? `$${m[1]} is n8n's; here an expression reads data, trigger and vars (e.g. data.orderId), $env and $vars` : undefined;
}
