import { describe, expect, it } from 'vitest';
import { nodeSpecs } from '../../core/nodes/catalogue';
import { registeredTypes, runnerTypes } from '../../core/nodes/registry';

describe('node registry', () => {
  it('every spec has a runner and every runner a spec', () => {
    expect(registeredTypes().sort()).toEqual(nodeSpecs.map((s) => s.type).sort());
    expect(runnerTypes().sort()).toEqual(nodeSpecs.map((s) => s.type).sort());
  });

  it('every spec example parses with its own schema and every field key exists in the defaults or example', () => {
    for (const spec of nodeSpecs) {
      const parsed = spec.settings.safeParse(spec.example ?? {});
      expect(parsed.success, `${spec.type} example: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      expect(spec.fields.length, spec.type).toBeGreaterThan(0);
      // Every node has a port, except the sticky note, which only holds text.
      if (spec.type !== 'note') expect(spec.outputs(parsed.data as never).length + spec.inputs.length, spec.type).toBeGreaterThan(0);
    }
  });
});
