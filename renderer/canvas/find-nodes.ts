import type { FlowNode } from '../../core/model/flow';
import { nodeView } from './node-view';

export interface FoundNode {
  id: string;
  title: string;
  /** Type title and subtitle (a URL, a path, a schedule): what the card shows under the title. */
  detail: string;
}

const MAX_RESULTS = 8;

/** Setting values as text, for matching (a URL, a template, a header name); nested lists and objects included. */
function settingsText(v: unknown, depth = 0): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (!v || typeof v !== 'object' || depth > 4) return '';
  return Object.values(v as Record<string, unknown>).map((x) => settingsText(x, depth + 1)).join('\n');
}

/**
 * Nodes of a flow matching a query (Node-RED's search): every word of the query must appear, case-insensitively,
 * in the node's name, id, type, notes or a setting (a URL, a path, a template). Matches in the title come first.
 * At most MAX_RESULTS, in flow order within each rank.
 *
 * @example
 * findNodes(flow.nodes, 'erp post') // [{ id: 'erp', title: 'POST to ERP', detail: 'Web Integration · POST {{ $env.ERP_URL }}' }]
 */
export function findNodes(nodes: readonly FlowNode[], query: string): FoundNode[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [];
  const ranked: Array<{ rank: number; found: FoundNode }> = [];
  for (const n of nodes) {
    const v = nodeView(n);
    const title = v.title.toLowerCase();
    const text = [title, n.id, n.type, v.typeTitle, v.subtitle, n.notes ?? '', settingsText(n.settings)].join('\n').toLowerCase();
    if (!words.every((w) => text.includes(w))) continue;
    const rank = words.every((w) => title.includes(w)) ? 0 : 1;
    ranked.push({ rank, found: { id: n.id, title: v.title, detail: v.subtitle && v.subtitle !== v.typeTitle ? `${v.typeTitle} · ${v.subtitle}` : v.typeTitle } });
  }
  return ranked
    .sort((a, b) => a.rank - b.rank)
    .slice(0, MAX_RESULTS)
    .map((r) => r.found);
}
