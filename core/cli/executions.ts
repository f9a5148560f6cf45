import path from 'node:path';
import type { ExecutionDetail, HttpAttempt } from '../host/api';
import type { ExecutionStatus, StepRecord } from '../runtime/events';
import { DataDirInUseError } from '../runtime/data-dir-lock';
import { OfflineError, openDataDirOffline, retryOffline, skipOffline } from '../runtime/offline';
import type { ExecutionStore } from '../store/types';
import { EXIT, UsageError, type Io } from './common';
import { dataDirError } from './data-dir-errors';

const OFFLINE = `They work on a data directory no process runs on: while 'hookline run', 'serve' or the studio holds it, they
refuse (exit code 3) and name its pid; use the studio's Executions view then, or stop the process first.`;

export const EXECUTIONS_HELP = `Usage: hookline executions --data-dir <dir> [--flow <id>] [--status <s,...>] [--limit <n>]
       hookline executions <id | business key | part of an id> --data-dir <dir>

Lists the newest executions in a data directory, one a line: id, status, flow, queued time, business key, error.
An execution holding up an ordered line is marked "halts its line"; release it with 'hookline retry' or 'hookline skip'.

Given an execution id (or a business key, or a piece of an id, that matches one execution), shows that execution
step by step: each step's outcome and error (with the partner's answer), each HTTP attempt with its status, timing
and the reason it was retried, the request headers as sent (credentials masked), the run it retried and its retries.
A key that matches several executions lists them.
${OFFLINE}

Options:
  --data-dir <dir>   the data directory (default ./.hookline)
  --flow <id>        only this flow
  --status <list>    only these statuses (queued, running, succeeded, failed, timed-out, interrupted, parked)
  --limit <n>        at most n executions (default 50, at most 500)

Exit codes: 0 listed or shown, 1 no execution matches, 2 usage error, 3 the data directory is in use.`;

export const RETRY_HELP = `Usage: hookline retry <executionId> --data-dir <dir>

The execution may be named as 'hookline executions' takes it: its id, or a business key or piece of an id
(e.g. its first characters) that matches one execution; one that matches several is refused, naming them.
Queues the execution's message to run again at the next start, as a new execution linked to it. If it halts an
ordered line, the new one takes its place at the head and the line goes on after it.
${OFFLINE}

Exit codes: 0 queued, 1 no such execution (or several match) or nothing to retry, 2 usage error, 3 the data
directory is in use.`;

export const SKIP_HELP = `Usage: hookline skip <executionId> --data-dir <dir>

The execution may be named by its id, or a business key or piece of an id that matches one execution.
Releases the ordered line halted on this execution without running it again (it stays failed); the messages
behind it run at the next start.
${OFFLINE}

Exit codes: 0 released, 1 no such execution (or several match) or it halts no line, 2 usage error, 3 the data
directory is in use.`;

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
    throw dataDirError(err, dataDir) ?? err;
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

export async function executionsCommand({ values, positionals }: Args, io: Io) {
  const status = values.status ? String(values.status).split(',').map((s) => s.trim()) : undefined;
  const wrong = status?.filter((s) => !STATUSES.includes(s as ExecutionStatus));
  if (wrong?.length) throw new UsageError(`--status: unknown status ${wrong.map((s) => `"${s}"`).join(', ')} (one of ${STATUSES.join(', ')})`);
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError(`--limit: must be an integer from 1 to 500`);
  const wanted = positionals[0]?.trim();
  if (positionals.length > 1) throw new UsageError(`one execution id or business key at a time (got ${positionals.length})`);
  return offline('executions', values, io, async (store) => {
    const exact = wanted ? await store.getExecution(wanted) : null;
    if (exact) return showExecution(store, exact, io);
    const page = await store.listExecutions({ flowId: values.flow, status: status as ExecutionStatus[] | undefined, limit, ...(wanted ? { search: wanted } : {}) });
    if (wanted && page.items.length === 0) throw new OfflineError(`no execution has the id or business key "${wanted}"${values.flow || status ? ' (with these --flow / --status)' : ''}`);
    if (wanted && page.items.length === 1) return showExecution(store, (await store.getExecution(page.items[0].id))!, io);
    for (const e of page.items) {
      const halts = (await store.getQueueEntry(e.id))?.blocking ? '  halts its line' : '';
      const error = e.error ? `  ${e.error.nodeId ? `${e.error.nodeId}: ` : ''}${e.error.message}` : '';
      const retry = e.retryOf ? `  retry of ${e.retryOf}` : '';
      const key = e.businessKey !== undefined ? `  key ${e.businessKey}` : '';
      io.out(`${e.id}  ${e.status.padEnd(11)} ${e.flowId}  ${e.queuedAt}${key}${halts}${retry}${error}`);
    }
    io.out(`${page.items.length} of ${page.total} execution(s)`);
  });
}

export async function retryCommand({ values, positionals }: Args, io: Io) {
  const wanted = positionals[0]?.trim();
  if (!wanted) throw new UsageError('an execution id is required');
  return offline('retry', values, io, async (store) => {
    const id = await oneExecution(store, wanted);
    const r = await retryOffline(store, id);
    io.out(`queued ${r.executionId} (retry of ${id}${r.releasedLine ? ', first in its ordered line' : ''}); it runs at the next start`);
  });
}

export async function skipCommand({ values, positionals }: Args, io: Io) {
  const wanted = positionals[0]?.trim();
  if (!wanted) throw new UsageError('an execution id is required');
  return offline('skip', values, io, async (store) => {
    const id = await oneExecution(store, wanted);
    await skipOffline(store, id);
    io.out(`released the ordered line halted on ${id}; the messages behind it run at the next start`);
  });
}

/**
 * The execution `wanted` names as `hookline executions` reads it: its id, else the one execution whose business key
 * or id contains it (the first characters of an id, as printed by a narrow terminal). Several are refused, counted
 * and the first ones named, since retrying or releasing the wrong one cannot be undone.
 */
async function oneExecution(store: ExecutionStore, wanted: string): Promise<string> {
  if (await store.getQueueEntry(wanted)) return wanted;
  const page = await store.listExecutions({ search: wanted, limit: 5 });
  if (page.total === 1) return page.items[0].id;
  if (page.total === 0) throw new OfflineError(`execution "${wanted}" was not found (no execution has that id, or a business key or part of an id matching it)`);
  const named = page.items.map((e) => `${e.id} (${e.status}, flow ${e.flowId})`).join(', ');
  throw new OfflineError(`"${wanted}" matches ${page.total} executions: ${named}${page.total > page.items.length ? ', …' : ''}; give more of the id`);
}

const ms = (n?: number) => (n === undefined ? '–' : n < 10 ? `${n.toFixed(1)} ms` : n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(2)} s`);
/** One line of a value, cut at `max` characters (a partner's body can be large). */
const oneLine = (v: unknown, max = 300) => {
  const t = typeof v === 'string' ? v : JSON.stringify(v) ?? '';
  return t.length > max ? `${t.slice(0, max)}… (${t.length} characters)` : t;
};

/** An execution step by step, as the studio's Executions panel shows it (headless, e.g. on a server). */
async function showExecution(store: ExecutionStore, d: ExecutionDetail, io: Io) {
  const halts = (await store.getQueueEntry(d.id))?.blocking ? '  halts its line' : '';
  io.out(`execution ${d.id}  ${d.status}  flow ${d.flowId} (revision ${d.flowRevision})${d.businessKey !== undefined ? `  key ${d.businessKey}` : ''}${halts}`);
  io.out(`  queued ${d.queuedAt}${d.startedAt ? `  started ${d.startedAt}` : ''}${d.finishedAt ? `  finished ${d.finishedAt}` : ''}${d.durationMs !== undefined ? `  (${ms(d.durationMs)})` : ''}`);
  if (d.retryOf) {
    const was = await store.getExecution(d.retryOf);
    io.out(`  retry of ${d.retryOf}${was ? ` (${was.status}${was.error ? `: ${was.error.message}` : ''})` : ''}`);
  }
  for (const r of (await store.listExecutions({ retryOf: d.id, limit: 20 })).items) io.out(`  retried as ${r.id} (${r.status})`);
  if (d.error) io.out(`  error${d.error.nodeId ? ` at ${d.error.nodeId}` : ''}: ${d.error.message}`);
  io.out('steps:');
  if (d.steps.length === 0) io.out('  (none recorded)');
  d.steps.forEach((st, i) => showStep(st, i, io));
}

function showStep(st: StepRecord, i: number, io: Io) {
  io.out(`  ${i + 1}. ${st.nodeId} (${st.nodeType})  ${st.status}${st.port && st.port !== 'out' ? ` → ${st.port}` : ''}  ${ms(st.durationMs)}`);
  if (st.error) {
    io.out(`     error${st.error.code ? ` ${st.error.code}` : ''}: ${st.error.message}`);
    const partner = st.error.details as { status?: unknown; body?: unknown } | undefined;
    if (partner && typeof partner === 'object' && typeof partner.status === 'number') io.out(`     the partner answered ${partner.status}: ${oneLine(partner.body)}`);
  }
  const attempts = (st.attempts ?? []) as Array<HttpAttempt & { subscriptionId?: string }>;
  // Publish Event delivers to several subscribers: each one's attempts under its own heading, with its outcome.
  const bySubscriber = new Map<string | undefined, typeof attempts>();
  for (const a of attempts) {
    const list = bySubscriber.get(a.subscriptionId);
    if (list) list.push(a);
    else bySubscriber.set(a.subscriptionId, [a]);
  }
  type Deliveries = { deliveries?: Array<{ subscriptionId: string; ok: boolean }> };
  // A succeeded step has them in its output; a failed one in its error's details.
  const deliveries = ((st.output as { data?: Deliveries } | undefined)?.data ?? (st.error?.details as Deliveries | undefined))?.deliveries;
  for (const [subscriptionId, list] of bySubscriber) {
    const delivery = deliveries?.find((d) => d.subscriptionId === subscriptionId);
    const outcome = delivery ? (delivery.ok ? '  delivered' : '  failed') : '';
    if (subscriptionId !== undefined) io.out(`     subscription ${subscriptionId}${outcome}`);
    showAttempts(st, list, io);
  }
}

function showAttempts(st: StepRecord, attempts: HttpAttempt[], io: Io) {
  const sent = attempts.find((a) => a.request)?.request;
  if (attempts.length) io.out(`     ${attempts[0].method} ${attempts[0].url}`);
  if (sent) for (const [k, v] of Object.entries(sent.headers)) io.out(`       > ${k}: ${v}`);
  const body = sent?.bodyIsInputData ? (st.input as { data?: unknown } | undefined)?.data : sent?.body;
  if (sent && body !== undefined) io.out(`       > (body) ${oneLine(body)}${sent.bodyTruncated ? ' (truncated when recorded)' : ''}`);
  for (const a of attempts) {
    const outcome = a.status !== undefined ? `${a.status}${a.response?.statusText ? ` ${a.response.statusText}` : ''}` : a.error ?? 'no response';
    const retried = a.retryReason ? `; retried after ${ms(a.delayMs ?? 0)}: ${a.retryReason}` : '';
    io.out(`       #${a.attempt} → ${outcome}  ${ms(a.durationMs)}${retried}`);
  }
}
