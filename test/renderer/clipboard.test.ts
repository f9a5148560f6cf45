import { describe, expect, it } from 'vitest';
import { parseClipboardNodes, pasteOffset } from '../../renderer/canvas/clipboard';

describe('pasting nodes from clipboard text', () => {
  it('takes what Copy writes, and a whole flow document; edges to nodes outside the text are dropped', () => {
    const copied = {
      nodes: [
        { id: 'hook', type: 'webhook', position: { x: 0, y: 0 }, settings: { path: '/in' } },
        { id: 'log-1', type: 'log', position: { x: 300, y: 0 } },
      ],
      edges: [
        { id: 'e1', source: 'hook', target: 'log-1' },
        { id: 'e2', source: 'log-1', target: 'elsewhere' },
      ],
    };
    const r = parseClipboardNodes(JSON.stringify(copied, null, 2));
    expect(r).toMatchObject({ ok: true, edges: [{ id: 'e1', source: 'hook', target: 'log-1', sourcePort: 'out', targetPort: 'in' }] });
    // Defaults filled as when a flow is loaded.
    expect(r!.ok && r!.nodes[1]).toMatchObject({ id: 'log-1', settings: {}, onError: 'stop', version: 1 });
    const flow = { formatVersion: 1, id: 'f', name: 'F', nodes: copied.nodes, edges: [{ source: 'hook', target: 'log-1' }] };
    expect(parseClipboardNodes(JSON.stringify(flow))).toMatchObject({ ok: true, edges: [{ source: 'hook', target: 'log-1' }] });
  });

  it('ignores text that is not meant as nodes', () => {
    for (const t of ['', 'https://partner.example/orders', '{"orderId": "A-1"}', '{"nodes": []}', '[1, 2]', '{"nodes": ']) expect(parseClipboardNodes(t)).toBeNull();
  });

  it('refuses broken nodes naming the node and the field', () => {
    expect(parseClipboardNodes('{"nodes":[{"id":"a b","type":"log"}]}')).toEqual({ ok: false, reason: expect.stringMatching(/^nodes\[0\]\.id: must start with a letter or digit/) });
    expect(parseClipboardNodes('{"nodes":[{"id":"x","type":"log"},{"id":"y","type":"n8n-nodes-base.set"}]}')).toEqual({ ok: false, reason: 'nodes[1] (y): unknown node type "n8n-nodes-base.set"' });
    expect(parseClipboardNodes('{"nodes":[{"id":"x","type":"log"}],"edges":[{"source":"x"}]}')).toEqual({ ok: false, reason: 'edges[0].target: is required' });
  });

  it('pastes next to the copied nodes while they are in view, else at the view', () => {
    const view = { x: 1000, y: 0, width: 800, height: 600 };
    expect(pasteOffset([{ position: { x: 1100, y: 100 } }], view)).toEqual({ x: 48, y: 48 });
    expect(pasteOffset([{ position: { x: 0, y: 900 } }, { position: { x: 300, y: 950 } }], view)).toEqual({ x: 1096, y: -804 });
  });
});
