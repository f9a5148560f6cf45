import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startStudio } from '../host/studio';
import { cliLogger, EXIT, parsePort, stopSignal, type Io } from './common';
import { ChainSecretStore, EnvSecretStore, FileSecretStore } from '../secrets/env-store';
import { TrackingSecretStore } from '../secrets/tracking-store';

export const STUDIO_HELP = `Usage: hookline studio [options]

Starts the browser studio: the runtime, the host API and the built UI on 127.0.0.1, and prints a URL
with a random per-launch token (like Jupyter). Builds the UI first if it has not been built.

Options:
  --port <n>           studio UI/API port (default 5870; 0 picks a free port)
  --runtime-port <n>   webhook listener port (default 8080; 0 picks a free port)
  --data-dir <dir>     flows, executions and secrets (default ~/.hookline-studio)
  --open-example       load the example flows on first start (npm run studio does)
  --no-build           do not build the UI when it is missing

Secrets typed in the studio are kept in <data-dir>/secrets.json (mode 0600); a secret named NAME not found
there is read from HOOKLINE_SECRET_NAME, else NAME in the environment.

Exit codes: 0 stopped, 3 start-up failure.`;

/**
 * The browser studio's secrets: what the user types is written to a 0600 file in the data directory (the desktop
 * app uses the OS keychain through Electron's safeStorage instead), with the environment as a fallback, so a
 * restart keeps passwords, tokens and certificates. Every value resolved is redacted from the log.
 */
export function studioSecrets(dataDir: string, env: NodeJS.ProcessEnv = process.env, o: { readOnly?: boolean } = {}): TrackingSecretStore {
  const file = path.join(dataDir, 'secrets.json');
  // `readOnly` (hookline import): the studio's file as it is, never created.
  if (o.readOnly) return new TrackingSecretStore(new ChainSecretStore([...(fs.existsSync(file) ? [new FileSecretStore(file)] : []), new EnvSecretStore(env)]));
  fs.mkdirSync(dataDir, { recursive: true });
  return new TrackingSecretStore(new ChainSecretStore([new FileSecretStore(file, { create: true }), new EnvSecretStore(env)]));
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function studioCommand({ values }: { values: Record<string, any> }, io: Io) {
  const staticDir = path.join(ROOT, 'dist', 'renderer');
  if (!fs.existsSync(path.join(staticDir, 'index.html')) && !values['no-build']) {
    io.out('building the studio UI (first start)...');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) {
      io.err('hookline studio: building the UI failed');
      return EXIT.startup;
    }
  }
  const dataDir = path.resolve(values['data-dir'] ?? path.join(os.homedir(), '.hookline-studio'));
  const secrets = studioSecrets(dataDir);
  const stop = stopSignal();
  const studio = await startStudio({
    dataDir,
    port: parsePort(values['runtime-port'], 8080),
    studioPort: parsePort(values.port, 5870),
    staticDir,
    secrets,
    seedExamples: !!values['open-example'],
    logger: cliLogger('warn', secrets),
  }).catch((err: unknown) => {
    stop.dispose();
    throw err;
  });
  io.out(`Hookline Studio is running. Open this URL in your browser:\n\n    ${studio.url}\n\nWebhooks are served at ${studio.runtime.baseUrl}. Press Ctrl+C to stop.`);
  await stop.received;
  await studio.close();
  return EXIT.ok;
}
