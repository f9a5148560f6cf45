import path from 'node:path';
import { createRuntime } from '../runtime/runtime';
import { serveCommand } from './serve';
import { waitingForOtherFlows, warnWaitingWork } from './waiting-work';
import { isBundle } from '../bundle/bundle';
import { withEveryProblem } from '../bundle/check';
import { findRequirements } from '../bundle/requirements';
import { validateFlow } from '../model/validate';
import { ProblemsError } from '../model/problems';
import { logRunEvents } from '../runtime/logger';
import { cliLogger, EXIT, FileProblemsError, headlessSecrets, parseGraceMs, parsePort, readJsonFile, startUnderStopSignal, UsageError, type Io } from './common';
import { openingDataDir } from './data-dir-errors';

export const RUN_HELP = `Usage: hookline run <flow.json | bundle.json> [options]

Deploys the flow headless, prints each endpoint URL and serves until SIGINT, SIGTERM or SIGHUP, then stops
gracefully (stops accepting, lets running executions finish within the grace period, keeps the queue; those
still running then are recorded as interrupted and run again after the next start).

Options:
  --host <addr>          listen address (default 127.0.0.1; 0.0.0.0 for all interfaces)
  --port <n>             listen port (default 8080; 0 picks a free port)
  --data-dir <dir>       execution database and queue (default ./.hookline)
  --secrets-file <file>  JSON file of secret name -> value, mode 0600
  --log-level <level>    debug | info | warn | error (default info); debug adds a line per request,
                         per step and per outbound HTTP attempt
  --grace-ms <n>         graceful stop period (default 10000)
  --env <name>           bundles only: the bundle environment to use (see 'hookline serve --help');
                         with a flow file it is a usage error (variables come from the process environment)

A bundle file runs as 'hookline serve' runs it (with --env), listening on 127.0.0.1 unless --host says otherwise.
A flow file cannot use saved connections (a connectionId is a problem): put the flow and its connections in a
bundle (studio: Export bundle, or 'hookline export') and run or serve that.

Secrets: a secret named NAME is read from --secrets-file, else HOOKLINE_SECRET_NAME, else the file that
HOOKLINE_SECRET_NAME_FILE names (Docker / Kubernetes secrets), else NAME in the environment. A flow file
starts even when a secret is not set (a warning in the log names each missing one): its webhook then answers
401, or the step that needs the secret fails. A bundle refuses to start instead (exit code 3).

Exit codes: 0 stopped cleanly, 1 the flow has problems, 2 usage error, 3 start-up failure (port taken, data
directory in use or not writable, execution database damaged; for a bundle also missing secrets or variables).`;

export async function runCommand({ values, positionals }: { values: Record<string, any>; positionals: string[] }, io: Io) {
  const file = positionals[0];
  if (!file) throw new UsageError('a flow file is required');
  const flow = readJsonFile(file);
  // A bundle runs the way `serve` runs it, on loopback by default.
  if (isBundle(flow)) return serveCommand({ values: { ...values, host: values.host ?? '127.0.0.1' }, positionals }, io);
  // A flow file reads $env from the process environment; an --env it would ignore is a mistake to say, not to swallow.
  if (values.env !== undefined) throw new UsageError(`--env ${values.env}: ${file} is a flow file, which has no environments (--env picks one of a bundle's); set its variables in the process environment`);
  const secrets = headlessSecrets(values['secrets-file']);
  const logger = cliLogger(values['log-level'], secrets);
  const grace = parseGraceMs(values['grace-ms']);
  const dataDir = path.resolve(values['data-dir'] ?? '.hookline');
  const checked = validateFlow(flow).flow;
  const rt = await openingDataDir(dataDir, async () => {
    if (checked) warnWaitingWork(logger, await waitingForOtherFlows(dataDir, [checked.id], logger), dataDir, `the flow file ${file}`);
    return createRuntime({ dataDir, host: values.host ?? '127.0.0.1', port: parsePort(values.port, 8080), secrets, logger, env: process.env as Record<string, string> });
  });
  rt.onEvent(logRunEvents(logger));
  const stop = await openingDataDir(dataDir, () => startUnderStopSignal(() => rt.start()));
  try {
    const info = await rt.deploy(flow);
    for (const e of info.endpoints) io.out(`${e.methods.join(',')} ${e.url}  (${e.responseMode}, auth: ${e.auth})`);
    // A flow file starts without its secrets and variables (a bundle would not): say which are missing, in the log
    // with the rest, rather than let the first request fail on an empty URL.
    const needs = checked ? findRequirements([checked], []) : { secrets: [], variables: [] };
    for (const s of needs.secrets)
      if (!secrets.has(s.name))
        logger.warn(`secret ${s.name} is not set (used by ${s.usedBy.join(', ')}): set HOOKLINE_SECRET_${s.name} or ${s.name}, or pass --secrets-file`, { secret: s.name, usedBy: s.usedBy });
    for (const v of needs.variables)
      if (!process.env[v.name])
        logger.warn(`variable ${v.name} is not set (used by ${v.usedBy.join(', ')}): $env.${v.name} renders empty until it is set in the environment`, { variable: v.name, usedBy: v.usedBy });
  } catch (err) {
    stop.dispose();
    await rt.stop(0);
    const found = await withEveryProblem(err, flow);
    throw found instanceof ProblemsError ? new FileProblemsError(file, found.problems) : found;
  }
  io.out(`ready: ${rt.baseUrl}`);
  const signal = await stop.received;
  logger.info('stopping', { signal, graceMs: grace });
  await rt.stop(grace);
  logger.info('stopped');
  return EXIT.ok;
}
