import { isBundle } from '../bundle/bundle';
import { checkBundle, checkFlow } from '../bundle/check';
import { EXIT, flowIdsOf, printProblems, readJsonFile, UsageError, type Io } from './common';

export const VALIDATE_HELP = `Usage: hookline validate <flow.json | bundle.json> [--json]

Checks a flow or bundle file as 'run' and 'serve' would deploy it (schema, templates, expressions,
connections and the references to them) without starting anything, and prints every problem with its
JSON path, e.g.
  flow.json: nodes[2].settings.timeoutMs: must be greater than 0

A key the schema does not know is a warning naming the key it was probably meant to be, e.g.
  flow.json: warning: nodes[0].settings.timeoutMS: unknown setting; did you mean "timeoutMs"?

A flow file has no connections of its own: a connectionId in it is reported, as 'run' would refuse it.
Secrets and variables are not looked up ('serve' lists the missing ones when it starts).

Options:
  --json    print the problems as a JSON array instead

Exit codes: 0 valid (warnings may be printed), 1 problems found, 2 usage error.`;

export async function validateCommand({ values, positionals }: { values: Record<string, any>; positionals: string[] }, io: Io) {
  const file = positionals[0];
  if (!file) throw new UsageError('a file to validate is required');
  const raw = readJsonFile(file);
  const problems = isBundle(raw) ? await checkBundle(raw) : await checkFlow(raw);
  const errors = problems.filter((p) => p.severity !== 'warning');
  if (values.json) io.out(JSON.stringify(problems, null, 2));
  else {
    printProblems(io, problems, file, flowIdsOf(raw));
    if (!errors.length) io.out(`${file}: valid`);
  }
  return errors.length ? EXIT.problems : EXIT.ok;
}
