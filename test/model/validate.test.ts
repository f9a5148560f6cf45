import { describe, expect, it } from 'vitest';
import { validateFlow } from '../../core/model/validate';
import { formatProblem } from '../../core/model/problems';

const base = (nodes: any[], edges: any[] = [], extra: any = {}) => ({ formatVersion: 1, id: 'f', name: 'F', nodes, edges, ...extra });
const hook = (settings: any = {}, id = 'hook') => ({ id, type: 'webhook', settings });

describe('validateFlow', () => {
  it('accepts a minimal valid flow and fills defaults', () => {
    const r = validateFlow(base([hook({ path: '/x' }), { id: 'r', type: 'log' }], [{ id: 'e', source: 'hook', target: 'r' }]));
    expect(r.problems).toEqual([]);
    expect(r.settings.hook).toMatchObject({ methods: ['POST'], responseMode: 'async', timeoutMs: 30000, maxBodyBytes: 10 * 1024 * 1024 });
    expect(r.flow!.edges[0]).toMatchObject({ sourcePort: 'out', targetPort: 'in' });
  });

  it('warns about a node no trigger leads to (an edge deleted by mistake), naming it; nodes without inputs are left alone', () => {
    const nodes = [hook({ path: '/x' }), { id: 'tpl', type: 'template', name: 'Build XML', settings: { template: '<a/>' } }, { id: 'call', type: 'log' }, { id: 'n', type: 'note', settings: {} }];
    const r = validateFlow(base(nodes, [{ id: 'e', source: 'tpl', target: 'call' }]));
    expect(r.problems.filter((p) => p.code === 'unreachable').map(formatProblem)).toEqual([
      'nodes[1]: no trigger leads to "Build XML": it never runs (connect it, or delete it)',
      'nodes[2]: no trigger leads to "call": it never runs (connect it, or delete it)',
    ]);
    expect(r.problems.every((p) => p.severity === 'warning')).toBe(true);
    const wired = validateFlow(base(nodes, [{ id: 'e0', source: 'hook', target: 'tpl' }, { id: 'e', source: 'tpl', target: 'call' }]));
    expect(wired.problems.filter((p) => p.code === 'unreachable')).toEqual([]);
  });

  it('warns when every trigger is disabled: deployed, nothing would start the flow', () => {
    const r = validateFlow(base([{ ...hook({ path: '/x' }), disabled: true }, { id: 'r', type: 'log' }], [{ id: 'e', source: 'hook', target: 'r' }]));
    expect(r.problems.map(formatProblem)).toEqual(['nodes: every trigger of the flow is disabled, so nothing can start it (enable one)']);
    expect(r.problems[0].severity).toBe('warning');
  });

  it('returns every problem at once with its JSON path and a plain message', () => {
    const r = validateFlow(
      base([hook({ timeoutMs: -5, methods: [], responseMode: 'requestResponse' }), { id: 'r', type: 'respond', settings: { status: 42 } }, { id: 'x', type: 'warp-drive' }], [{ id: 'e', source: 'hook', target: 'nope' }]),
    );
    const lines = r.problems.map(formatProblem);
    expect(lines).toContain('nodes[0].settings.timeoutMs: must be greater than 0');
    expect(lines).toContain('nodes[0].settings.methods: choose at least one HTTP method');
    expect(lines).toContain('nodes[1].settings.status: must be at least 100');
    expect(lines).toContain('nodes[2].type: unknown node type "warp-drive"');
    expect(lines).toContain('edges[0].target: no node with id "nope"');
  });

  it('an empty id gets one message, not also the pattern one', () => {
    const r = validateFlow({ formatVersion: 1, id: '', name: 'x', nodes: [] });
    expect(r.problems.filter((p) => p.path === 'id').map((p) => p.message)).toEqual(['must not be empty']);
    expect(validateFlow({ formatVersion: 1, id: '-x', name: 'x', nodes: [] }).problems.map(formatProblem)).toContain('id: must start with a letter or digit and contain only letters, digits, "_", "." and "-"');
  });

  it('names missing fields and wrong types', () => {
    const r = validateFlow({ formatVersion: 1, nodes: 'no' });
    const lines = r.problems.map(formatProblem);
    expect(lines).toContain('id: is required');
    expect(lines).toContain('name: is required');
    expect(lines).toContain('nodes: must be an array');
  });

  it('rejects edges into a trigger, unknown ports, duplicates and cycles', () => {
    const r = validateFlow(
      base(
        [hook(), { id: 'a', type: 'log' }, { id: 'b', type: 'log' }, { id: 'a', type: 'log' }],
        [
          { id: 'e1', source: 'a', target: 'hook' },
          { id: 'e2', source: 'hook', sourcePort: 'weird', target: 'a' },
          { id: 'e3', source: 'a', target: 'b' },
          { id: 'e4', source: 'b', target: 'a' },
        ],
      ),
    );
    const codes = r.problems.map((p) => p.code);
    expect(codes).toEqual(expect.arrayContaining(['edge_into_trigger', 'unknown_port', 'duplicate_id', 'cycle']));
    expect(r.problems.find((p) => p.code === 'unknown_port')!.path).toBe('edges[1].sourcePort');
  });

  it('allows cycles when the flow opts in; the error port exists only when errors are routed', () => {
    const nodes = [hook(), { id: 'a', type: 'log', onError: 'route' }, { id: 'b', type: 'log' }];
    const ok = validateFlow(base(nodes, [{ id: 'e', source: 'hook', target: 'a' }, { id: 'e2', source: 'a', sourcePort: 'error', target: 'b' }, { id: 'e3', source: 'b', target: 'a' }], { settings: { allowCycles: true } }));
    expect(ok.problems).toEqual([]);
    const noRoute = validateFlow(base([hook(), { id: 'a', type: 'log' }, { id: 'b', type: 'log' }], [{ id: 'e', source: 'a', sourcePort: 'error', target: 'b' }]));
    expect(noRoute.problems.map((p) => p.code)).toContain('unknown_port');
  });

  it('reports route conflicts inside one flow and query parameter mistakes', () => {
    const r = validateFlow(base([hook({ path: '/a/:id' }), hook({ path: '/a/:other', queryParams: [{ name: 'q', required: true, default: 'x' }, { name: 'q' }] }, 'h2')]));
    const lines = r.problems.map(formatProblem);
    expect(lines.some((l) => l.startsWith('nodes[1].settings.path: POST /a/:other is already served by node "hook"'))).toBe(true);
    expect(lines).toContain('nodes[1].settings.queryParams[0].default: a required parameter cannot have a default');
    expect(lines).toContain('nodes[1].settings.queryParams[1].name: duplicate query parameter "q"');
  });

  it('never crashes on junk input', () => {
    for (const junk of [null, 42, 'x', [], { nodes: [null, 1, 'a', { type: 5 }] }, { formatVersion: 1, id: 'f', name: 'n', nodes: [{}], edges: [{}] }]) {
      const r = validateFlow(junk);
      expect(r.problems.length).toBeGreaterThan(0);
    }
    expect(validateFlow({ formatVersion: 2 }).problems[0].code).toBe('format_version');
  });

  it('does not report problems of fields hidden by the spec visibility rules', () => {
    // With responseMode async the timeout fields are hidden: a bad timeoutMessage type is not shown...
    const hidden = validateFlow(base([hook({ responseMode: 'async', timeoutMessage: 5 })]));
    expect(hidden.problems).toEqual([]);
    // ...and the node runs as if it were not set.
    expect((hidden.settings.hook as any).timeoutMessage).toBe('The flow did not answer in time.');
    // ...but it is reported when the field is visible.
    const shown = validateFlow(base([hook({ responseMode: 'requestResponse', timeoutMessage: 5 })]));
    expect(shown.problems.map(formatProblem)).toContain('nodes[0].settings.timeoutMessage: must be a string');
  });
});

describe('validateFlow visibility with defaults', () => {
  it('judges visibility on settings with defaults filled in, and never hides every problem of a broken node', () => {
    const r = validateFlow(base([{ id: 's', type: 'schedule', settings: { timeZone: 'Mars/Olympus' } }]));
    expect(r.problems.length).toBeGreaterThan(0);
    expect(r.problems.some((p) => p.path.startsWith('nodes[0].settings'))).toBe(true);
    expect(r.settings.s).toBeUndefined();
  });
});
