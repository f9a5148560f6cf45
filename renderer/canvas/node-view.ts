import type { FlowNode } from '../../core/model/flow';
import { findSpec } from '../../core/nodes/catalogue';
import { portsOf, type AnyNodeSpec, type NodeCategory, type PortSpec } from '../../core/nodes/spec-types';

export interface NodeView {
  title: string;
  typeTitle: string;
  subtitle: string;
  icon: string;
  category: NodeCategory | 'unknown';
  inputs: PortSpec[];
  outputs: PortSpec[];
  spec?: AnyNodeSpec;
}

/** Spec-driven presentation of a node: the canvas renders every node type generically from this. */
export function nodeView(node: FlowNode): NodeView {
  const spec = findSpec(node.type);
  if (!spec) {
    return { title: node.name ?? node.type, typeTitle: node.type, subtitle: 'unknown node type', icon: 'node', category: 'unknown', inputs: [{ id: 'in', label: 'in' }], outputs: [{ id: 'out', label: 'out' }] };
  }
  const parsed = spec.settings.safeParse(node.settings);
  const settings = parsed.success ? parsed.data : node.settings;
  let subtitle = '';
  let outputs: PortSpec[] = [];
  // Half-typed settings can make a spec's subtitle/outputs function throw; the canvas must not.
  try {
    subtitle = spec.subtitle?.(settings as never) ?? '';
  } catch {}
  try {
    outputs = portsOf(spec, settings, node.onError);
  } catch {
    outputs = node.onError === 'route' ? [{ id: 'out', label: 'out' }, { id: 'error', label: 'error' }] : [{ id: 'out', label: 'out' }];
  }
  return { title: node.name ?? spec.title, typeTitle: spec.title, subtitle, icon: spec.icon, category: spec.category, inputs: [...spec.inputs], outputs, spec };
}

export const CATEGORY_LABEL: Record<NodeCategory, string> = {
  trigger: 'Triggers',
  processing: 'Processing',
  outbound: 'Outbound',
  utility: 'Utility',
};
