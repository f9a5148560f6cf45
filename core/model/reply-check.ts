import type { Flow } from './flow';
import type { Problem } from './problems';

/**
 * Respond nodes nobody waits for: after a webhook that acknowledges at once (202), and not after any trigger that
 * waits for the flow (a Request-Response webhook, a Manual run), a Respond answers no one. n8n refuses such a run;
 * here the webhook gets a warning on its Response setting naming the Respond nodes (a deploy still goes ahead).
 * The error path (On error) is left out: it answers for whichever trigger started the run.
 */
export function unansweredRespondProblems(flow: Flow, settings: Record<string, unknown>): Problem[] {
  const enabled = new Map(flow.nodes.filter((n) => !n.disabled).map((n) => [n.id, n]));
  const next = new Map<string, string[]>();
  for (const e of flow.edges) {
    if (!enabled.has(e.source) || !enabled.has(e.target)) continue;
    const list = next.get(e.source);
    if (list) list.push(e.target);
    else next.set(e.source, [e.target]);
  }
  const respondsAfter = (id: string): string[] => {
    const seen = new Set<string>([id]);
    const todo = [id];
    while (todo.length) {
      for (const t of next.get(todo.pop()!) ?? []) {
        if (seen.has(t)) continue;
        seen.add(t);
        todo.push(t);
      }
    }
    return [...seen].filter((x) => enabled.get(x)!.type === 'respond');
  };
  const waitedFor = new Set<string>();
  const acknowledging: Array<{ index: number; id: string; responds: string[] }> = [];
  flow.nodes.forEach((n, index) => {
    if (n.disabled || (n.type !== 'webhook' && n.type !== 'manual')) return;
    const mode = ((settings[n.id] ?? n.settings) as { responseMode?: unknown } | undefined)?.responseMode ?? 'async';
    const responds = respondsAfter(n.id);
    if (n.type === 'webhook' && mode !== 'requestResponse') acknowledging.push({ index, id: n.id, responds });
    else for (const r of responds) waitedFor.add(r);
  });
  const out: Problem[] = [];
  for (const w of acknowledging) {
    const idle = w.responds.filter((r) => !waitedFor.has(r));
    if (!idle.length) continue;
    const names = idle.map((r) => `"${enabled.get(r)!.name ?? r}"`).join(', ');
    out.push({
      path: `nodes[${w.index}].settings.responseMode`,
      code: 'respond_unanswered',
      severity: 'warning',
      nodeId: w.id,
      message: `Acknowledge at once answers the caller with 202 before the flow runs, so the Respond node${idle.length > 1 ? 's' : ''} ${names} after it answer${idle.length > 1 ? '' : 's'} no one; choose Request-Response (wait for the flow) to answer with ${idle.length > 1 ? 'them' : 'it'}`,
    });
  }
  return out;
}
