import type { MenuItemConstructorOptions } from 'electron';
import type { MenuAction } from '../core/host/transport-wire';

/**
 * The application menu. Every item only tells the renderer (`menu:<action>`); the renderer owns what
 * New/Save/Deploy mean. Undo/Redo show their shortcut without registering it, so Ctrl+Z inside a text
 * field or Monaco still undoes typing: the renderer decides per focus.
 */
export function buildMenuTemplate(send: (action: MenuAction) => void, opts: { isMac: boolean; isDev: boolean }): MenuItemConstructorOptions[] {
  const item = (label: string, action: MenuAction, accelerator?: string, registerAccelerator = true): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator, registerAccelerator } : {}),
    click: () => send(action),
  });
  const template: MenuItemConstructorOptions[] = [];
  if (opts.isMac) template.push({ role: 'appMenu' });
  template.push(
    {
      label: 'File',
      submenu: [
        item('New Flow', 'new', 'CmdOrCtrl+N'),
        item('Open…', 'open', 'CmdOrCtrl+O'),
        item('Save', 'save', 'CmdOrCtrl+S'),
        { type: 'separator' },
        item('Import Flow…', 'import'),
        item('Export Flow…', 'export'),
        { type: 'separator' },
        opts.isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        item('Undo', 'undo', 'CmdOrCtrl+Z', false),
        item('Redo', 'redo', opts.isMac ? 'Shift+Cmd+Z' : 'Ctrl+Y', false),
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    { label: 'Flow', submenu: [item('Deploy', 'deploy', 'CmdOrCtrl+Shift+D')] },
    {
      label: 'View',
      submenu: [
        ...(opts.isDev ? ([{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[]) : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  );
  return template;
}
