import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportWithWarnings } from '../bundle/transfer';
import { serializeBundle } from '../bundle/bundle';
import { FlowRepository } from '../host/flow-repo';
import { checkBundle } from '../bundle/check';
import { EXIT, flowIdsOf, printProblems, UsageError, type Io } from './common';

export const EXPORT_HELP = `Usage: hookline export (--flows a,b | --all) --out x.bundle.json [options]

Exports flows of a studio data directory as one bundle: the flows, the connections they use (secret names
only), the environments and the list of secrets and variables the bundle needs. Deterministic output (stable
key order), so a bundle diffs cleanly in git.

Options:
  --flows <ids>       comma-separated flow ids
  --all               every flow of the data directory
  --out <file>        where to write the bundle (required; "-" for stdout)
  --data-dir <dir>    studio data directory (default ~/.hookline-studio)
  --name <name>       bundle name (default: the flow ids)
  --version <v>       bundle version (default 1.0.0)

A connection is exported as the connection schema reads it (fields it does not know are left out); one
that holds a credential itself ("password": "...") instead of a secret name is refused, and so is a node
with a credential typed into a header (Authorization, X-Api-Key, ...) or into its inline connection.

A flow with problems (a broken expression, a missing field) is exported, for handing work over, with a warning
listing what 'hookline serve' would refuse.

Exit codes: 0 written, 1 problems (a connection that is missing, invalid or holds a plaintext
credential; a node holding one), 2 usage error (unknown option, an unknown flow id, no studio data, --out not writable).`;

export async function exportCommand({ values }: { values: Record<string, any> }, io: Io) {
  if (!values.flows && !values.all) throw new UsageError('--flows (or --all) is required');
  if (values.flows && values.all) throw new UsageError('--flows and --all: give one of them');
  if (!values.out) throw new UsageError('--out is required');
  const dataDir = path.resolve(values['data-dir'] ?? path.join(os.homedir(), '.hookline-studio'));
  if (!fs.existsSync(path.join(dataDir, 'flows'))) throw new UsageError(`no studio data in ${dataDir} (no flows/ folder)`);
  const repo = new FlowRepository(dataDir);
  const flowIds = values.all ? repo.ids() : String(values.flows).split(',').map((s) => s.trim()).filter(Boolean);
  if (!flowIds.length) throw new UsageError(values.all ? `${dataDir} has no flows to export` : '--flows: give at least one flow id');
  for (const id of flowIds) if (!repo.tryGet(id)) throw new UsageError(`flow "${id}" is not in ${dataDir} (it has: ${repo.ids().join(', ') || 'none'})`);
  const { bundle, warnings } = exportWithWarnings(dataDir, repo, { flowIds, name: values.name, version: values.version });
  const text = serializeBundle(bundle);
  if (values.out === '-') process.stdout.write(text);
  else {
    writeOut(values.out, text);
    io.out(`wrote ${values.out}: ${bundle.flows.length} flow(s), ${bundle.connections.length} connection(s); needs secrets: ${bundle.secrets.map((s) => s.name).join(', ') || 'none'}; variables: ${bundle.variables.map((v) => v.name).join(', ') || 'none'}`);
  }
  // What the export left out (a connection's misspelled `baseURL`): said, not dropped silently.
  printProblems(io, warnings, values.out === '-' ? undefined : values.out, flowIdsOf(bundle));
  // Work in progress may be exported (to hand it over), but the designer hears now what the operator would at serve.
  const errors = (await checkBundle(JSON.parse(text))).filter((p) => p.severity !== 'warning');
  if (errors.length) {
    io.err(`warning: 'hookline serve' refuses this bundle until ${errors.length === 1 ? 'this problem is' : `these ${errors.length} problems are`} fixed in the studio:`);
    printProblems(io, errors, values.out === '-' ? undefined : values.out, flowIdsOf(bundle));
  }
  return EXIT.ok;
}

/** Writes the bundle, creating the folder it goes in; a path that cannot be written is a usage error naming --out. */
function writeOut(file: string, text: string) {
  try {
    makeDirs(path.dirname(path.resolve(file)));
    fs.writeFileSync(file, text);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'EEXIST' || err.code === 'ENOTDIR' ? 'part of the path is a file, not a folder' : (err.code ?? err.message);
    throw new UsageError(`--out ${file}: cannot write the bundle there (${why})`);
  }
}

/**
 * mkdir -p, one level at a time from the nearest folder that exists. Node 20's own recursive mkdirSync never
 * returns under a pseudo file system such as /proc (`--out /proc/x/b.json` hung the command).
 */
function makeDirs(dir: string) {
  const missing: string[] = [];
  let at = dir;
  while (!fs.existsSync(at)) {
    missing.unshift(at);
    const up = path.dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const d of missing) fs.mkdirSync(d);
}

