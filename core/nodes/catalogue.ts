import type { AnyNodeSpec } from './spec-types';
import { webhookSpec } from './webhook/spec';
import { respondSpec } from './respond/spec';
import { logSpec } from './log/spec';
import { delaySpec } from './delay/spec';
import { httpRequestSpec } from './http-request/spec';

/**
 * Every node type's browser-safe spec. The studio builds its palette and inspector forms from this;
 * the runtime pairs each spec with its runner in registry.ts. Add a node type in both places.
 */
export const nodeSpecs: readonly AnyNodeSpec[] = [webhookSpec, respondSpec, logSpec, delaySpec, httpRequestSpec] as AnyNodeSpec[];

const byType = new Map(nodeSpecs.map((s) => [s.type, s]));
export function findSpec(type: string): AnyNodeSpec | undefined {
  return byType.get(type);
}
