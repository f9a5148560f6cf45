import os from 'node:os';
import path from 'node:path';
import { importIntoDataDir } from '../bundle/transfer';
import { FlowRepository } from '../host/flow-repo';
import { DataDirInUseError, lockDataDir } from '../runtime/data-dir-lock';
import { EXIT, flowIdsOf, problemsOf, readJsonFile, UsageError, type Io } from './common';
import { studioSecrets } from './studio';

export const IMPORT_HELP = `Usage: hookline import <bundle.json> [--data-dir <dir>] [--replace]

Imports a bundle into a studio data directory, as the studio's Import bundle does (the counterpart of
'hookline export'): checks everything first and writes nothing when there is a problem (each printed as
file: path: message), then writes the flows, the connections and the environments.

Options:
  --data-dir <dir>   studio data directory (default ~/.hookline-studio)
  --replace          a flow or connection whose id exists, and an environment whose name exists, is replaced by
                     the bundle's. Without it a flow is imported under a new id (orders-2), an existing connection
                     is kept, and an existing environment keeps its values (gaining only the variables it lacks).

Prints what was imported and the secrets the bundle needs that are not set (the studio's secrets.json, then
HOOKLINE_SECRET_NAME, then NAME in the environment). The studio must not be running on the data directory.

Exit codes: 0 imported, 1 the bundle has problems, 2 usage error (unknown option, missing file), 3 the data
directory is in use (the studio runs on it: use its Import bundle instead).`;

export async function importCommand({ values, positionals }: { values: Record<string, any>; positionals: string[] }, io: Io) {
  const file = positionals[0];
  if (!file) throw new UsageError('a bundle file is required');
  const raw = readJsonFile(file);
  const dataDir = path.resolve(values['data-dir'] ?? path.join(os.homedir(), '.hookline-studio'));
  // The studio keeps flows in memory: writing behind its back would be overwritten by its next save.
  let lock: ReturnType<typeof lockDataDir>;
  try {
    lock = lockDataDir(dataDir);
  } catch (err) {
    if (!(err instanceof DataDirInUseError)) throw err;
    io.err(`hookline import: ${err.message}: use that studio's Import bundle, or stop it first`);
    return EXIT.startup;
  }
  try {
    const r = await problemsOf(file, () => importIntoDataDir(raw, dataDir, new FlowRepository(dataDir), studioSecrets(dataDir, process.env, { readOnly: true }), { onConflict: values.replace ? 'replace' : 'rename' }), flowIdsOf(raw));
    io.out(`imported ${file} into ${dataDir}:`);
    for (const f of r.flows) io.out(`  flow ${f.id}${f.renamedFrom ? ` (renamed from ${f.renamedFrom}: that id exists; --replace replaces it)` : f.replaced ? ' (replaced)' : ''}`);
    for (const c of r.connections) io.out(`  connection ${c.id}${c.kept ? ' (exists here and was kept; --replace takes the bundle\'s)' : c.replaced ? ' (replaced)' : ''}`);
    if (r.environments.length) io.out(`  environments: ${r.environments.join(', ')}`);
    for (const sub of r.subscriptions) io.out(`  subscription ${sub.id}${sub.kept ? " (exists here and was kept; --replace takes the bundle's)" : sub.replaced ? ' (replaced)' : ''}: in the draft, apply it on the Subscriptions page`);
    if (r.missingSecrets.length) io.out(`secrets to set before running (studio: Connections or the node's secret field): ${r.missingSecrets.join(', ')}`);
    return EXIT.ok;
  } finally {
    lock.release();
  }
}
