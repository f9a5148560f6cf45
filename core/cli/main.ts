import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ProblemsError } from '../model/problems';
import { VERSION } from '../version';
import { EXIT, FileProblemsError, printProblems, quietOnBrokenPipe, SHARED_OPTION_CHECKS, stdio, UsageError, type Io } from './common';
import { optionValues } from './args';
import { runCommand, RUN_HELP } from './run';
import { validateCommand, VALIDATE_HELP } from './validate';
import { studioCommand, STUDIO_HELP } from './studio';
import { serveCommand, SERVE_HELP } from './serve';
import { exportCommand, EXPORT_HELP } from './export';
import { importCommand, IMPORT_HELP } from './import';
import { execCommand, EXEC_HELP } from './exec';
import { executionsCommand, EXECUTIONS_HELP, retryCommand, RETRY_HELP, skipCommand, SKIP_HELP } from './executions';

export const HELP = `hookline ${VERSION} - run webhook flows headless

Usage: hookline <command> [options]

Commands:
  run <flow.json|bundle>  deploy a flow (or a bundle's flows) and serve its webhooks until SIGINT/SIGTERM/SIGHUP
  validate <file>         check a flow or bundle file and print every problem with its path
  exec <flow.json>        run a flow once with a sample input and print every step
  studio                  start the browser studio on 127.0.0.1 (prints a URL with a token)
  serve <bundle.json>     run an exported bundle on a server (health, readiness, metrics)
  export                  export studio flows (with their connections and environments) as a bundle file
  import <bundle.json>    import a bundle into a studio data directory (what the studio's Import bundle does)
  executions              list the executions in a data directory (marks those halting an ordered line)
  retry <id>              queue an execution to run again at the next start (releases its halted line)
  skip <id>               release the ordered line halted on an execution without running it again

Run 'hookline <command> --help' (or 'hookline help <command>') for a command's options; 'hookline --version'
prints the version.

Exit codes: 0 ok, 1 problems found (validation or deploy) or a failed 'exec' run, 2 usage error, 3 start-up
failure (port taken, data directory in use; for 'serve' and bundles also missing secrets or variables).`;

interface Command {
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run: (args: { values: Record<string, any>; positionals: string[] }, io: Io) => Promise<number>;
}

const commands: Record<string, Command> = {
  run: { help: RUN_HELP, options: { env: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, 'data-dir': { type: 'string' }, 'secrets-file': { type: 'string' }, 'log-level': { type: 'string' }, 'grace-ms': { type: 'string' } }, run: runCommand },
  exec: { help: EXEC_HELP, options: { input: { type: 'string' }, trigger: { type: 'string' }, json: { type: 'boolean' }, 'data-dir': { type: 'string' }, 'secrets-file': { type: 'string' }, 'log-level': { type: 'string' } }, run: execCommand },
  validate: { help: VALIDATE_HELP, options: { json: { type: 'boolean' } }, run: validateCommand },
  serve: { help: SERVE_HELP, options: { env: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, 'data-dir': { type: 'string' }, 'secrets-file': { type: 'string' }, 'log-level': { type: 'string' }, 'grace-ms': { type: 'string' } }, run: serveCommand },
  export: { help: EXPORT_HELP, options: { flows: { type: 'string' }, all: { type: 'boolean' }, out: { type: 'string' }, 'data-dir': { type: 'string' }, name: { type: 'string' }, version: { type: 'string' } }, run: exportCommand },
  import: { help: IMPORT_HELP, options: { 'data-dir': { type: 'string' }, replace: { type: 'boolean' } }, run: importCommand },
  executions: { help: EXECUTIONS_HELP, options: { 'data-dir': { type: 'string' }, flow: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' } }, run: executionsCommand },
  retry: { help: RETRY_HELP, options: { 'data-dir': { type: 'string' } }, run: retryCommand },
  skip: { help: SKIP_HELP, options: { 'data-dir': { type: 'string' } }, run: skipCommand },
  studio: { help: STUDIO_HELP, options: { port: { type: 'string' }, 'runtime-port': { type: 'string' }, 'data-dir': { type: 'string' }, 'open-example': { type: 'boolean' }, 'no-build': { type: 'boolean' } }, run: studioCommand },
};

export async function main(argv: string[], io: Io = stdio): Promise<number> {
  if (io === stdio) quietOnBrokenPipe();
  const [name, ...rest] = argv;
  // `hookline help serve` is what `hookline serve --help` is (as in git and npm).
  if (name === 'help' && rest[0] !== undefined) return commandHelp(rest[0], io);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(HELP);
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version' || name === '-v') {
    io.out(VERSION);
    return EXIT.ok;
  }
  const cmd = commands[name];
  if (!cmd) {
    io.err(`hookline: unknown command "${name}"\n\n${HELP}`);
    return EXIT.usage;
  }
  try {
    const args = optionValues(rest, cmd.options, cmd.help);
    const parsed = parseArgs({ args, options: { ...cmd.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    if ((parsed.values as Record<string, unknown>).help) {
      io.out(cmd.help);
      return EXIT.ok;
    }
    for (const [option, value] of Object.entries(parsed.values)) if (typeof value === 'string') SHARED_OPTION_CHECKS[option]?.(value);
    return await cmd.run(parsed as any, io);
  } catch (err) {
    if (err instanceof FileProblemsError) {
      printProblems(io, err.problems, err.file, err.flowIds);
      return EXIT.problems;
    }
    if (err instanceof ProblemsError) {
      printProblems(io, err.problems);
      return EXIT.problems;
    }
    if (err instanceof UsageError || (err as any)?.code?.startsWith?.('ERR_PARSE_ARGS')) {
      io.err(`hookline ${name}: ${(err as Error).message}\n\n${cmd.help}`);
      return EXIT.usage;
    }
    io.err(`hookline ${name}: ${(err as Error).message}`);
    return EXIT.startup;
  }
}

function commandHelp(name: string, io: Io): number {
  const cmd = commands[name];
  if (!cmd) {
    io.err(`hookline help: unknown command "${name}" (one of ${Object.keys(commands).join(', ')})`);
    return EXIT.usage;
  }
  io.out(cmd.help);
  return EXIT.ok;
}
