import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./electron-mock')).electronMock.module);

import { electronMock } from './electron-mock';
import { bindHostApi, createSenderCheck, forwardHostEvents } from '../../electron/ipc';
import { buildDesktopBridge, type IpcRendererLike } from '../../electron/preload-bridge';
import { HOST_EVENT_CHANNEL, HOST_METHODS, hostChannel } from '../../core/host/api';
import { hostFromWire, HostProblemsError, MENU_ACTIONS, menuChannel } from '../../core/host/transport-wire';
import { createFakeHost } from '../host/fake-host';

const trusted = { senderFrame: { url: 'app://hookline/index.html', parent: null } } as any;

function recorder() {
  const handlers = new Map<string, (event: any, ...args: any[]) => any>();
  return {
    handlers,
    handle: (c: string, fn: (event: any, ...args: any[]) => any) => void handlers.set(c, fn),
    removeHandler: (c: string) => void handlers.delete(c),
  };
}

describe('bindHostApi', () => {
  it('binds exactly one channel per HostApi method and unbinds them all', () => {
    const ipc = recorder();
    const unbind = bindHostApi(ipc, createFakeHost().api, () => true);
    expect([...ipc.handlers.keys()].sort()).toEqual(HOST_METHODS.map(hostChannel).sort());
    expect(ipc.handlers.has('host:onEvent')).toBe(false);
    unbind();
    expect(ipc.handlers.size).toBe(0);
  });

  it('validates arguments before the API sees them', async () => {
    const ipc = recorder();
    const fake = createFakeHost();
    bindHostApi(ipc, fake.api, () => true);
    const bad = await ipc.handlers.get('host:getFlow')!(trusted, { id: 'x' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_args', problems: [{ path: 'args[0]' }] } });
    const extra = await ipc.handlers.get('host:listFlows')!(trusted, 'unexpected');
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    const secret = await ipc.handlers.get('host:setSecret')!(trusted, '../etc', 'x');
    expect(secret.ok).toBe(false);
    expect(fake.calls).toEqual([]);
    const good = await ipc.handlers.get('host:listFlows')!(trusted);
    expect(good).toMatchObject({ ok: true, result: [{ id: 'orders' }] });
    const problems = await ipc.handlers.get('host:deploy')!(trusted, 'orders');
    expect(problems).toMatchObject({ ok: false, error: { code: 'problems', problems: [{ nodeId: 'n1' }] } });
  });

  it('rejects untrusted senders without calling the API', async () => {
    const ipc = recorder();
    const fake = createFakeHost();
    bindHostApi(ipc, fake.api, createSenderCheck(['app://hookline']));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    for (const event of [
      { senderFrame: { url: 'https://evil.example/', parent: null } },
      { senderFrame: { url: 'app://hookline/index.html', parent: { url: 'app://hookline/' } } },
      { senderFrame: { url: 'app://other/index.html', parent: null } },
      { senderFrame: { url: 'file:///tmp/evil.html', parent: null } },
      { senderFrame: null },
    ]) {
      const res = await ipc.handlers.get('host:listFlows')!(event);
      expect(res).toMatchObject({ ok: false, error: { code: 'untrusted_sender' } });
    }
    warn.mockRestore();
    expect(fake.calls).toEqual([]);
    expect((await ipc.handlers.get('host:listFlows')!(trusted)).ok).toBe(true);
  });

  it('trusts the dev server origin only when configured', () => {
    const check = createSenderCheck(['app://hookline', 'http://localhost:5173']);
    expect(check({ senderFrame: { url: 'http://localhost:5173/', parent: null } } as any)).toBe(true);
    expect(check({ senderFrame: { url: 'http://localhost:5174/', parent: null } } as any)).toBe(false);
    expect(createSenderCheck(['app://hookline'])({ senderFrame: { url: 'http://localhost:5173/', parent: null } } as any)).toBe(false);
  });

  it('forwards run events on host:event', () => {
    const fake = createFakeHost();
    const sent: unknown[] = [];
    const stop = forwardHostEvents(fake.api, (channel, e) => sent.push([channel, e]));
    fake.emit({ type: 'warning', code: 'w', message: 'm' });
    stop();
    fake.emit({ type: 'warning', code: 'w', message: 'later' });
    expect(sent).toEqual([[HOST_EVENT_CHANNEL, { type: 'warning', code: 'w', message: 'm' }]]);
  });
});

describe('preload', () => {
  it('exposes window.hookline with exactly the HostApi methods, onEvent and onMenu, and no ipcRenderer', async () => {
    await import('../../electron/preload');
    const bridge = electronMock.exposed.get('hookline');
    expect([...electronMock.exposed.keys()]).toEqual(['hookline']);
    expect(Object.keys(bridge).sort()).toEqual([...HOST_METHODS, 'onEvent', 'onMenu'].sort());
    for (const value of Object.values(bridge)) {
      expect(typeof value).toBe('function');
      expect(value).not.toBe(electronMock.module.ipcRenderer);
      expect(value).not.toBe(electronMock.module.ipcRenderer.invoke);
    }
    expect(bridge.invoke).toBeUndefined();
    expect(bridge.send).toBeUndefined();
    expect(bridge.ipcRenderer).toBeUndefined();
    // Each method goes to its own fixed channel.
    await bridge.getFlow('orders');
    expect(electronMock.invoked.at(-1)).toEqual({ channel: 'host:getFlow', args: ['orders'] });
  });

  it('onEvent/onMenu hide the Electron event and unsubscribe cleanly', () => {
    const bridge = electronMock.exposed.get('hookline');
    const events: unknown[][] = [];
    const off = bridge.onEvent((...a: unknown[]) => events.push(a));
    const listeners = electronMock.rendererListeners.get(HOST_EVENT_CHANNEL)!;
    expect(listeners.size).toBe(1);
    for (const l of listeners) l({ sender: 'secret-ipc-object' }, { type: 'warning', code: 'w', message: 'm' });
    expect(events).toEqual([[{ type: 'warning', code: 'w', message: 'm' }]]);
    off();
    expect(listeners.size).toBe(0);

    const actions: string[] = [];
    const offMenu = bridge.onMenu((a: string) => actions.push(a));
    for (const a of MENU_ACTIONS) for (const l of electronMock.rendererListeners.get(menuChannel(a))!) l({ sender: 'x' });
    expect(actions).toEqual([...MENU_ACTIONS]);
    offMenu();
    expect(MENU_ACTIONS.every((a) => electronMock.rendererListeners.get(menuChannel(a))!.size === 0)).toBe(true);
  });

  it('round-trips through main: problems survive as HostProblemsError in the page', async () => {
    const fake = createFakeHost();
    const ipc = recorder();
    bindHostApi(ipc, fake.api, () => true);
    // An in-memory IPC pipe: what Electron does between preload and main, minus the process boundary.
    const pipe: IpcRendererLike = {
      invoke: async (channel, ...args) => structuredClone(await ipc.handlers.get(channel)!(trusted, ...structuredClone(args))),
      on: () => undefined,
      removeListener: () => undefined,
    };
    const api = hostFromWire(buildDesktopBridge(pipe));
    expect(await api.listFlows()).toEqual([expect.objectContaining({ id: 'orders' })]);
    const err = await api.deploy('orders').catch((e) => e);
    expect(err).toBeInstanceOf(HostProblemsError);
    expect(err.problems[0].path).toBe('nodes[1].settings.path');
    const bad = await api.getFlow('' as string).catch((e) => e);
    expect(bad).toMatchObject({ code: 'invalid_args' });
  });
});

describe('desktopCsp', () => {
  it("is script-src 'self' when packaged and relaxes only for a configured dev server", async () => {
    const { desktopCsp } = await import('../../electron/window');
    expect(desktopCsp()).toContain("script-src 'self';");
    expect(desktopCsp()).not.toContain('unsafe-inline\' http');
    const dev = desktopCsp('http://localhost:5173');
    expect(dev).toContain("script-src 'self' 'unsafe-inline' http://localhost:5173");
    expect(dev).toContain('connect-src \'self\' ws://localhost:5173 http://localhost:5173');
  });
});
