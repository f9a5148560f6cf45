import path from 'node:path';
import { parseBundle } from '../bundle/bundle';
import { resolveEnvironment } from '../bundle/environment';
import { installOpsEndpoints } from '../runtime/ops';
import { createRuntime } from '../runtime/runtime';
import { logRunEvents } from '../runtime/logger';
import { connectionLookup } from '../bundle/connections';
import { cliLogger, EXIT, headlessSecrets, parsePort, readJsonFile, untilSignal, UsageError, type Io } from './common';

export const SERVE_HELP = `Usage: hookline serve <bundle.json> [options]

Runs every flow of an exported bundle on a server: webhooks, plus /healthz (alive), /readyz (flows deployed
and database writable) and /metrics (Prometheus). Refuses to start, listing every missing secret and variable
at once. Structured JSON logs on stderr with secrets redacted. SIGTERM/SIGINT stop gracefully: stop accepting,
finish running executions within the grace period, keep the queue for the next start.

Options:
  --env <name>           environment of the bundle to use (default: its only one, or "default")
  --host <addr>          listen address (default 0.0.0.0)
  --port <n>             listen port (default 8080)
  --data-dir <dir>       execution database and queue (default ./.hookline)
  --secrets-file <file>  JSON object of secret name -> value, mode 0600
  --log-level <level>    debug | info | warn | error (default info)
  --grace-ms <n>         graceful stop period (default 10000)

Secrets and variables: a secret named NAME comes from --secrets-file, else HOOKLINE_SECRET_NAME, else NAME
in the environment; a variable NAME from the environment, else the bundle's environment value.

Exit codes: 0 stopped cleanly, 1 the bundle has problems, 2 usage error, 3 start-up failure (missing
secrets or variables, port in use).`;

export async function serveCommand({ values, positionals }: { values: Record<string, any>; positionals: string[] }, io: Io) {
  const file = positionals[0];
  if (!file) throw new UsageError('a bundle file is required');
  const bundle = parseBundle(readJsonFile(file));
  const secrets = headlessSecrets(values['secrets-file']);
  const logger = cliLogger(values['log-level'], secrets);
  const { env, environment, missing } = resolveEnvironment(bundle, values.env, process.env, secrets);
  if (missing.length) {
    io.err(`hookline serve: cannot start, ${missing.length} missing:`);
    for (const m of missing) io.err(`  - ${m}`);
    return EXIT.startup;
  }
  const grace = values['grace-ms'] ? Number(values['grace-ms']) : 10_000;
  const rt = createRuntime({
    dataDir: path.resolve(values['data-dir'] ?? '.hookline'),
    host: values.host ?? '0.0.0.0',
    port: parsePort(values.port, 8080),
    secrets,
    logger,
    env,
    connections: connectionLookup(bundle.connections),
  });
  installOpsEndpoints(rt, { expectedFlows: () => bundle.flows.map((f) => f.id) });
  rt.onEvent(logRunEvents(logger));
  await rt.start();
  try {
    for (const flow of bundle.flows) {
      const info = await rt.deploy(flow);
      for (const e of info.endpoints) io.out(`${e.methods.join(',')} ${e.url}  (flow ${e.flowId}, ${e.responseMode}, auth: ${e.auth})`);
    }
  } catch (err) {
    await rt.stop(0);
    throw err;
  }
  logger.info('bundle serving', { bundle: bundle.manifest.name, version: bundle.manifest.version, environment: environment?.name, flows: bundle.flows.length });
  io.out(`ready: ${rt.baseUrl}`);
  const signal = await untilSignal();
  logger.info('stopping', { signal, graceMs: grace });
  await rt.stop(grace);
  logger.info('stopped');
  return EXIT.ok;
}
