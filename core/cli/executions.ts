import path from 'node:path';
import type { ExecutionStatus } from '../runtime/events';
import { DataDirInUseError } from '../runtime/data-dir-lock';
import { OfflineError, openDataDirOffline, retryOffline, skipOffline } from '../runtime/offline';
import type { ExecutionStore } from '../store/types';
import { EXIT, UsageError, type Io } from './common';

const OFFLINE = `They work on a data directory no process runs on: while 'hookline run', 'serve' or the studio holds it, they
refuse (exit code 3) and name its pid; use the studio's Executions view then, or stop the process first.`;

export const EXECUTIONS_HELP = `Usage: hookline executions --data-dir <dir> [--flow <id>] [--status <s,...>] [--limit <n>]

Lists the newest executions in a data directory, one a line: id, status, flow, queued time, error. An execution
holding up an ordered line is marked "halts its line"; release it with 'hookline retry' or 'hookline skip'.
${OFFLINE}

Options:
  --data-dir <dir>   the data directory (default ./.hookline)
  --flow <id>        only this flow
  --status <list>    only these statuses (queued, running, succeeded, failed, timed-out, interrupted, parked)
  --limit <n>        at most n executions (default 50, at most 500)

Exit codes: 0 listed, 2 usage error, 3 the data directory is in use.`;

export const RETRY_HELP = `Usage: hookline retry <executionId> --data-dir <dir>

Queues the execution's message to run again at the next start, as a new execution linked to it. If it halts an
ordered line, the new one takes its place at the head and the line goes on after it.
${OFFLINE}

Exit codes: 0 queued, 1 no such execution or nothing to retry, 2 usage error, 3 the data directory is in use.`;

export const SKIP_HELP = `Usage: hookline skip <executionId> --data-dir <dir>

Releases the ordered line halted on this execution without running it again (it stays failed); the messages
behind it run at the next start.
${OFFLINE}

Exit codes: 0 released, 1 no such execution or it halts no line, 2 usage error, 3 the data directory is in use.`;

type Args = { values: Record<string, any>; positionals: string[] };
const STATUSES: ExecutionStatus[] = ['queued', 'running', 'succeeded', 'failed', 'timed-out', 'interrupted', 'parked'];

/** Runs `fn` on the data directory's store with its lock held; maps refusals to exit codes. */
async function offline(name: string, values: Record<string, any>, io: Io, fn: (store: ExecutionStore) => Promise<void>): Promise<number> {
  const dataDir = path.resolve(values['data-dir'] ?? '.hookline');
  let d: ReturnType<typeof openDataDirOffline>;
  try {
    d = openDataDirOffline(dataDir);
  } catch (err) {
    if (err instanceof DataDirInUseError) {
      io.err(`hookline ${name}: ${err.message}: stop it first, or use the studio's Executions view`);
      return EXIT.startup;
    }
    if (err instanceof OfflineError) throw new UsageError(err.message);
    throw err;
  }
  try {
    await fn(d.store);
    return EXIT.ok;
  } catch (err) {
    if (!(err instanceof OfflineError)) throw err;
    io.err(`hookline ${name}: ${err.message}`);
    return EXIT.problems;
  } finally {
    await d.close();
  }
}

export async function executionsCommand({ values }: Args, io: Io) {
  const status = values.status ? String(values.status).split(',').map((s) => s.trim()) : undefined;
  const wrong = status?.filter((s) => !STATUSES.includes(s as ExecutionStatus));
  if (wrong?.length) throw new UsageError(`--status: unknown status ${wrong.map((s) => `"${s}"`).join(', ')} (one of ${STATUSES.join(', ')})`);
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError(`--limit: must be an integer from 1 to 500`);
  return offline('executions', values, io, async (store) => {
    const page = await store.listExecutions({ flowId: values.flow, status: status as ExecutionStatus[] | undefined, limit });
    for (const e of page.items) {
      const halts = (await store.getQueueEntry(e.id))?.blocking ? '  halts its line' : '';
      const error = e.error ? `  ${e.error.nodeId ? `${e.error.nodeId}: ` : ''}${e.error.message}` : '';
      const retry = e.retryOf ? `  retry of ${e.retryOf}` : '';
      io.out(`${e.id}  ${e.status.padEnd(11)} ${e.flowId}  ${e.queuedAt}${halts}${retry}${error}`);
    }
    io.out(`${page.items.length} of ${page.total} execution(s)`);
  });
}

export async function retryCommand({ values, positionals }: Args, io: Io) {
  const id = positionals[0];
  if (!id) throw new UsageError('an execution id is required');
  return offline('retry', values, io, async (store) => {
    const r = await retryOffline(store, id);
    io.out(`queued ${r.executionId} (retry of ${id}${r.releasedLine ? ', first in its ordered line' : ''}); it runs at the next start`);
  });
}

export async function skipCommand({ values, positionals }: Args, io: Io) {
  const id = positionals[0];
  if (!id) throw new UsageError('an execution id is required');
  return offline('skip', values, io, async (store) => {
    await skipOffline(store, id);
    io.out(`released the ordered line halted on ${id}; the messages behind it run at the next start`);
  });
}
