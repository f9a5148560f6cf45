import type { AnyNodeSpec } from './spec-types';
import { webhookSpec } from './webhook/spec';
import { respondSpec } from './respond/spec';
import { logSpec } from './log/spec';
import { delaySpec } from './delay/spec';
import { httpRequestSpec } from './http-request/spec';
import { publishEventSpec } from './publish-event/spec';
import { mapSpec } from './map/spec';
import { setSpec } from './set/spec';
import { templateSpec } from './template/spec';
import { conditionSpec } from './condition/spec';
import { switchSpec } from './switch/spec';
import { errorTriggerSpec } from './error-trigger/spec';
import { parseSpec } from './parse/spec';
import { buildXmlSpec } from './build-xml/spec';
import { validateSpec } from './validate/spec';
import { scheduleSpec } from './schedule/spec';
import { manualSpec } from './manual/spec';
import { noteSpec } from './note/spec';

/**
 * Every node type's browser-safe spec. The studio builds its palette and inspector forms from this;
 * the runtime pairs each spec with its runner in registry.ts. Add a node type in both places.
 */
export const nodeSpecs: readonly AnyNodeSpec[] = [
  webhookSpec, respondSpec, logSpec, delaySpec, httpRequestSpec, publishEventSpec,
  // Data processing (issue 3)
  mapSpec, setSpec, templateSpec, conditionSpec, switchSpec, errorTriggerSpec,
  parseSpec, buildXmlSpec, validateSpec, scheduleSpec, manualSpec,
  noteSpec,
] as AnyNodeSpec[];

const byType = new Map(nodeSpecs.map((s) => [s.type, s]));
export function findSpec(type: string): AnyNodeSpec | undefined {
  return byType.get(type);
}
