import Conf from 'conf';
import { electronMock } from './electron-mock';

/**
 * electron-store is ElectronStore = Conf + Electron's userData path. Vitest loads node_modules outside
 * its module graph, so electron-store's own `import 'electron'` cannot see vi.mock; this stand-in keeps
 * the real Conf persistence and supplies the userData default the way electron-store does.
 */
export default class FakeElectronStore<T extends Record<string, any>> extends Conf<T> {
  constructor(opts: any = {}) {
    const { name = 'config', cwd, ...rest } = opts;
    super({ ...rest, configName: name, cwd: cwd ?? electronMock.userData, projectVersion: '0.1.0' });
  }
}
