import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExecutionDetail } from '../host/api';
import type { StepRecord } from '../runtime/events';
import { defaultRunInput } from '../nodes/start-input';
import { findSpec } from '../nodes/catalogue';
import { createRuntime } from '../runtime/runtime';
import { findRequirements } from '../bundle/requirements';
import { withEveryProblem } from '../bundle/check';
import { isBundle } from '../bundle/bundle';
import { validateFlow } from '../model/validate';
import { ProblemsError } from '../model/problems';
import { openingDataDir } from './data-dir-errors';
import { cliLogger, EXIT, FileProblemsError, headlessSecrets, readJsonFile, redactor, UsageError, type Io } from './common';

export const EXEC_HELP = `Usage: hookline exec <flow.json> [--input sample.json] [options]

Runs the flow once, now, without serving it: starts at --trigger, else its first Manual trigger, else
its first Webhook, else its first trigger, with the sample input, prints every step (node, status,
duration, output) and the reply or final output. The input file holds either a whole message
({ "trigger": {...}, "data": ... }) or just the body / data to start with. Without --input a Schedule
start gets a tick made now ({ scheduledAt, firedAt }); any other start uses its "sample" setting (a
Manual trigger's), else the flow's own "sample", else null.

Options:
  --input <file>         JSON file with the sample input
  --trigger <nodeId>     start at this trigger node
  --json                 print the execution (every step's input and output) as JSON
  --data-dir <dir>       keep the execution record here (default: a temporary directory, removed after)
  --secrets-file <file>  JSON file of secret name -> value, mode 0600 (then HOOKLINE_SECRET_NAME,
                         HOOKLINE_SECRET_NAME_FILE, then NAME)
  --log-level <level>    debug | info | warn | error (default warn)

Exit codes: 0 the run succeeded, 1 it failed or the flow has problems, 2 usage error.`;

type Result = ExecutionDetail & { reply?: { status: number; headers: Record<string, string>; body: unknown } };

export async function execCommand({ values, positionals }: { values: Record<string, any>; positionals: string[] }, terminal: Io) {
  const file = positionals[0];
  if (!file) throw new UsageError('a flow file is required');
  const flow = readJsonFile(file);
  if (isBundle(flow))
    throw new FileProblemsError(file, [{ path: '', code: 'format_version', message: "is a bundle, not a flow file: exec runs one flow (the studio's Export flow, or the flow's file in the studio's flows/ folder); to run a bundle's flows use 'hookline run' or 'hookline serve'" }]);
  if (values.trigger !== undefined) checkTrigger(flow, values.trigger);
  const input = values.input !== undefined ? readJsonFile(values.input) : defaultRunInput(flow, values.trigger);
  const secrets = headlessSecrets(values['secrets-file']);
  const checked = validateFlow(flow).flow;
  if (checked) secrets.declare(findRequirements([checked], []).secrets.map((s) => s.name));
  // Steps print their outputs: a Log or Map node may well show a secret read through $env.
  const redact = redactor(secrets);
  const io: Io = { out: (s) => terminal.out(redact(s)), err: (s) => terminal.err(redact(s)) };
  const temp = values['data-dir'] ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'hookline-exec-'));
  const dataDir = path.resolve(values['data-dir'] ?? temp!);
  const rt = await openingDataDir(dataDir, () => createRuntime({ dataDir, secrets, logger: cliLogger(values['log-level'] ?? 'warn', secrets), env: process.env as Record<string, string> }));
  let result: Result;
  try {
    result = await rt.runOnce(flow, input, { triggerNodeId: values.trigger });
  } catch (err) {
    const found = await withEveryProblem(err, flow);
    throw found instanceof ProblemsError ? new FileProblemsError(file, found.problems) : found;
  } finally {
    await rt.stop(0);
    if (temp) fs.rmSync(temp, { recursive: true, force: true });
  }
  if (values.json) io.out(JSON.stringify(result, null, 2));
  else printRun(io, result);
  return result.status === 'succeeded' ? EXIT.ok : EXIT.problems;
}

/** `--trigger` names a node of the flow (a flow that is no flow at all is left to the deploy checks). */
function checkTrigger(flow: unknown, id: string) {
  const nodes = (flow as { nodes?: unknown })?.nodes;
  if (!Array.isArray(nodes)) return;
  const all = nodes.filter((n): n is { id: string; type?: unknown } => typeof n?.id === 'string');
  if (all.some((n) => n.id === id)) return;
  const triggers = all.filter((n) => typeof n.type === 'string' && findSpec(n.type)?.category === 'trigger').map((n) => `"${n.id}"`);
  throw new UsageError(`--trigger: the flow has no node "${id}" (its triggers: ${triggers.join(', ') || 'none'})`);
}

const MAX_SUMMARY = 160;

/**
 * One line of JSON, cut to a readable length.
 * @example
 * summarize({ orderId: 'A1' }); // '{"orderId":"A1"}'
 */
export function summarize(value: unknown): string {
  let s: string;
  try {
    s = value === undefined ? 'undefined' : typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    s = String(value);
  }
  return s.length > MAX_SUMMARY ? `${s.slice(0, MAX_SUMMARY - 1)}…` : s;
}

function stepOutput(step: StepRecord): string {
  const out = step.output as unknown;
  if (Array.isArray(out)) return out.map((e: { port: string; message: { data: unknown } }) => `${e.port}: ${summarize(e.message?.data)}`).join('  ');
  if (out && typeof out === 'object' && 'data' in out) return summarize((out as { data: unknown }).data);
  return '';
}

function printRun(io: Io, r: Result) {
  const width = Math.max(4, ...r.steps.map((s) => `${s.nodeId} (${s.nodeType})`.length));
  io.out(`execution ${r.id} (flow ${r.flowId}, revision ${r.flowRevision})`);
  for (const s of r.steps) {
    const name = `${s.nodeId} (${s.nodeType})`.padEnd(width);
    const ms = `${s.durationMs.toFixed(1)} ms`.padStart(10);
    const port = s.port ? ` -> ${s.port}` : '';
    io.out(`  ${String(s.index + 1).padStart(2)}. ${name}  ${s.status.padEnd(9)} ${ms}${port}`);
    if (s.error) {
      io.out(`      error ${s.error.code ?? ''}: ${s.error.message}`);
      if (Array.isArray(s.error.details))
        for (const d of s.error.details.slice(0, 20) as Array<{ path?: string; message?: string }>) io.out(`        - ${d.path ? `${d.path}: ` : ''}${d.message ?? summarize(d)}`);
      else if (s.error.details !== undefined) io.out(`      details: ${summarize(s.error.details)}`);
    }
    const out = stepOutput(s);
    if (out && s.status !== 'failed') io.out(`      ${out}`);
  }
  if (r.reply) {
    const body = Buffer.isBuffer(r.reply.body) ? r.reply.body.toString('utf8') : typeof r.reply.body === 'string' ? r.reply.body : JSON.stringify(r.reply.body);
    io.out(`reply: ${r.reply.status}${r.reply.headers['content-type'] ? ` (${r.reply.headers['content-type']})` : ''}`);
    io.out(body);
  } else if (r.status === 'succeeded') io.out(`output: ${JSON.stringify(r.output ?? null)}`);
  const took = r.durationMs !== undefined ? ` in ${r.durationMs} ms` : '';
  if (r.status === 'succeeded') io.out(`succeeded${took}`);
  else io.err(`${r.status}${took}${r.error ? `: ${r.error.nodeId ? `${r.error.nodeId}: ` : ''}${r.error.message}` : ''}`);
}
