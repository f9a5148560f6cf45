import { validateFlow } from '../model/validate';
import { isBundle, parseBundle } from '../bundle/bundle';
import { ProblemsError, type Problem } from '../model/problems';
import { EXIT, printProblems, readJsonFile, UsageError, type Io } from './common';

export const VALIDATE_HELP = `Usage: hookline validate <flow.json | bundle.json> [--json]

Checks a flow or bundle file and prints every problem with its JSON path, e.g.
  flow.json: nodes[2].settings.timeoutMs: must be a positive integer

Options:
  --json    print the problems as a JSON array instead

Exit codes: 0 valid (warnings may be printed), 1 problems found, 2 usage error.`;

export async function validateCommand({ values, positionals }: { values: Record<string, any>; positionals: string[] }, io: Io) {
  const file = positionals[0];
  if (!file) throw new UsageError('a file to validate is required');
  const raw = readJsonFile(file);
  let problems: Problem[] = [];
  if (isBundle(raw)) {
    try {
      parseBundle(raw);
    } catch (err) {
      if (!(err instanceof ProblemsError)) throw err;
      problems = err.problems;
    }
  } else problems = validateFlow(raw).problems;
  const errors = problems.filter((p) => p.severity !== 'warning');
  if (values.json) io.out(JSON.stringify(problems, null, 2));
  else {
    printProblems(io, problems, file);
    if (!errors.length) io.out(`${file}: valid`);
  }
  return errors.length ? EXIT.problems : EXIT.ok;
}
