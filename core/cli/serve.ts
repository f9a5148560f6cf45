import { subscriptionLookup } from '../model/subscription';
import path from 'node:path';
import { parseBundle } from '../bundle/bundle';
import { checkBundle } from '../bundle/check';
import type { Bundle } from '../model/bundle';
import { joinPath, ProblemsError } from '../model/problems';
import { resolveEnvironment } from '../bundle/environment';
import { installOpsEndpoints } from '../runtime/ops';
import { waitingForOtherFlows, warnWaitingWork } from './waiting-work';
import { createRuntime } from '../runtime/runtime';
import { logRunEvents } from '../runtime/logger';
import { connectionLookup } from '../bundle/connections';
import { openingDataDir } from './data-dir-errors';
import { cliLogger, EXIT, FileProblemsError, flowIdsOf, headlessSecrets, parseGraceMs, parsePort, printProblems, readJsonFile, startUnderStopSignal, UsageError, type Io } from './common';

export const SERVE_HELP = `Usage: hookline serve <bundle.json> [options]

Runs every flow of an exported bundle on a server: webhooks, plus /healthz (alive), /readyz (flows deployed
and database writable) and /metrics (Prometheus). Checks the bundle first as 'hookline validate' does (every
problem as file: path: message), then refuses to start listing every missing secret and variable at once.
Structured JSON logs on stderr with secrets redacted. SIGTERM, SIGINT and SIGHUP stop gracefully: stop
accepting, finish running executions within the grace period (those still running then are recorded as
interrupted and run again after the next start), keep the queue for the next start (a second signal exits at
once; what was cut off runs again after the next start).

Options:
  --env <name>           environment of the bundle to use (default: its only one, or "default")
  --host <addr>          listen address (default 0.0.0.0)
  --port <n>             listen port (default 8080; 0 picks a free port)
  --data-dir <dir>       execution database and queue (default ./.hookline); one process per data directory
  --secrets-file <file>  JSON object of secret name -> value, mode 0600
  --log-level <level>    debug | info | warn | error (default info); debug adds a line per request,
                         per step and per outbound HTTP attempt
  --grace-ms <n>         graceful stop period (default 10000)

Secrets and variables: a secret named NAME comes from --secrets-file, else HOOKLINE_SECRET_NAME, else the
file that HOOKLINE_SECRET_NAME_FILE names (Docker / Kubernetes secrets), else NAME in the environment; a
variable NAME from the environment, else the chosen environment of the bundle.

Exit codes: 0 stopped cleanly, 1 the bundle has problems (or is no bundle, or of a newer format), 2 usage
error (unknown option, missing file, an --env the bundle does not have), 3 start-up failure (missing secrets
or variables, a secrets file readable by its group or others or not a JSON object of strings, port in use,
data directory in use or not writable, execution database damaged).`;

export async function serveCommand({ values, positionals }: { values: Record<string, any>; positionals: string[] }, io: Io) {
  const file = positionals[0];
  if (!file) throw new UsageError('a bundle file is required');
  const raw = readJsonFile(file);
  const flowIds = flowIdsOf(raw);
  // What validate finds (deploy checks included), before the secrets: an operator fixes the file once, not twice.
  const problems = await checkBundle(raw);
  const errors = problems.filter((p) => p.severity !== 'warning');
  if (errors.length) throw new FileProblemsError(file, errors, flowIds);
  const bundle = parseBundle(raw);
  printProblems(io, problems, file, flowIds); // warnings: the bundle runs, but the operator should know
  if (values.env !== undefined && !bundle.environments.some((e) => e.name === values.env))
    throw new UsageError(`--env ${values.env}: ${file} has no environment "${values.env}" (${environmentNames(bundle)})`);
  const secrets = headlessSecrets(values['secrets-file']);
  const logger = cliLogger(values['log-level'], secrets);
  const { env, environment, missing, unused } = resolveEnvironment(bundle, values.env, process.env, secrets);
  if (missing.length) {
    io.err(`hookline serve: cannot start ${file}, ${missing.length} missing:`);
    for (const m of missing) io.err(`  - ${m}`);
    io.err(SETTING_HINT);
    return EXIT.startup;
  }
  for (const u of unused) logger.warn(`${u} is not set; no flow or connection of the bundle reads it`);
  const grace = parseGraceMs(values['grace-ms']);
  const dataDir = path.resolve(values['data-dir'] ?? '.hookline');
  // A new bundle without a flow the last one had strands that flow's accepted messages: say so before serving.
  const waiting = await openingDataDir(dataDir, () => waitingForOtherFlows(dataDir, flowIds, logger));
  warnWaitingWork(logger, waiting, dataDir, `the bundle ${file}`);
  const rt = await openingDataDir(dataDir, () =>
    createRuntime({ dataDir, host: values.host ?? '0.0.0.0', port: parsePort(values.port, 8080), secrets, logger, env, connections: connectionLookup(bundle.connections), subscriptions: subscriptionLookup(bundle.subscriptions ?? []) }),
  );
  installOpsEndpoints(rt, { expectedFlows: () => bundle.flows.map((f) => f.id), waiting });
  rt.onEvent(logRunEvents(logger));
  const stop = await openingDataDir(dataDir, () => startUnderStopSignal(() => rt.start()));
  for (const [i, flow] of bundle.flows.entries()) {
    try {
      const info = await rt.deploy(flow);
      for (const e of info.endpoints) io.out(`${e.methods.join(',')} ${e.url}  (flow ${e.flowId}, ${e.responseMode}, auth: ${e.auth})`);
    } catch (err) {
      stop.dispose();
      await rt.stop(0);
      // Deploy names paths inside the flow; the operator reads the bundle, where it is flows[i].
      if (err instanceof ProblemsError) throw new FileProblemsError(file, err.problems.map((p) => ({ ...p, path: joinPath(`flows[${i}]`, p.path) })), flowIds);
      throw err;
    }
  }
  logger.info('bundle serving', { bundle: bundle.manifest.name, version: bundle.manifest.version, checksum: bundle.manifest.checksum, exportedBy: bundle.manifest.appVersion, environment: environment?.name, flows: bundle.flows.length, dataDir });
  io.out(`ready: ${rt.baseUrl}`);
  const signal = await stop.received;
  logger.info('stopping', { signal, graceMs: grace });
  await rt.stop(grace);
  logger.info('stopped');
  return EXIT.ok;
}

/** How to provide what `serve` found missing (printed once, under the list). */
export const SETTING_HINT =
  'Set a secret NAME as HOOKLINE_SECRET_NAME or NAME in the environment, as a file named by HOOKLINE_SECRET_NAME_FILE, or as "NAME" in the --secrets-file (a JSON object, mode 0600); a variable NAME in the environment (or choose a bundle environment that sets it with --env).';

const environmentNames = (b: Bundle) => (b.environments.length ? `it has ${b.environments.map((e) => `"${e.name}"`).join(', ')}` : 'it has none');
