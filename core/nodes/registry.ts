import type { AnyNodeSpec } from './spec-types';
import type { NodeRunner } from './runner-types';
import { nodeSpecs } from './catalogue';
import { webhookRunner } from './webhook/run';
import { respondRunner } from './respond/run';
import { logRunner } from './log/run';
import { delayRunner } from './delay/run';
import { httpRequestRunner } from './http-request/run';
import { publishEventRunner } from './publish-event/run';
import { mapRunner } from './map/run';
import { setRunner } from './set/run';
import { templateRunner } from './template/run';
import { conditionRunner } from './condition/run';
import { switchRunner } from './switch/run';
import { errorTriggerRunner } from './error-trigger/run';
import { parseRunner } from './parse/run';
import { buildXmlRunner } from './build-xml/run';
import { validateRunner } from './validate/run';
import { scheduleRunner } from './schedule/run';
import { manualRunner } from './manual/run';
import { noteRunner } from './note/run';

/** Runners by node type. Every spec in catalogue.ts must have one here (a test checks both lists agree). */
const runners: NodeRunner[] = [
  webhookRunner, respondRunner, logRunner, delayRunner, httpRequestRunner, publishEventRunner,
  // Data processing (issue 3)
  mapRunner, setRunner, templateRunner, conditionRunner, switchRunner, errorTriggerRunner,
  parseRunner, buildXmlRunner, validateRunner, scheduleRunner, manualRunner,
  noteRunner,
];

export interface NodeType {
  spec: AnyNodeSpec;
  runner: NodeRunner;
}

const byType = new Map<string, NodeType>();
for (const spec of nodeSpecs) {
  const runner = runners.find((r) => r.type === spec.type);
  if (runner) byType.set(spec.type, { spec, runner });
}

export function getNodeType(type: string): NodeType | undefined {
  return byType.get(type);
}

export function registeredTypes(): string[] {
  return [...byType.keys()];
}

export function runnerTypes(): string[] {
  return runners.map((r) => r.type);
}
