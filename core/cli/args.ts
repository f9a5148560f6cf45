import type { ParseArgsConfig } from 'node:util';
import { UsageError } from './common';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Reads what parseArgs gets wrong for an operator before it runs: `--grace-ms -5` is taken as a value (written
 * `--grace-ms=-5`), so the option's own check says what is wrong with it, and `--port` with nothing after it (or
 * another option after it) is refused naming the option and what it needs, from the command's help. parseArgs
 * said "argument is ambiguous. Did you forget to specify the option argument…" and "argument missing" instead.
 *
 * @example
 * optionValues(['--grace-ms', '-5'], { 'grace-ms': { type: 'string' } }, help); // ['--grace-ms=-5']
 * optionValues(['--port'], { port: { type: 'string' } }, help); // throws "--port: needs a value: <n>, listen port (…)"
 */
export function optionValues(args: string[], options: Options, help: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    out.push(arg);
    if (arg === '--') return [...out, ...args.slice(i + 1)];
    const name = /^--([^=]+)$/.exec(arg)?.[1];
    if (!name || options[name]?.type !== 'string') continue;
    const next = args[i + 1];
    if (next !== undefined && /^-\d/.test(next)) {
      out[out.length - 1] = `${arg}=${next}`;
      i++;
    } else if (next === undefined || (next.startsWith('-') && next !== '-')) {
      throw new UsageError(`--${name}: needs a value${describeValue(help, name)}${next === undefined ? '' : `, but "${next}" follows it`}`);
    } else {
      out.push(next);
      i++;
    }
  }
  return out;
}

/** `: <n>, listen port (default 8080; …)`, read from the option's line in the command's help ('' when it has none). */
function describeValue(help: string, name: string): string {
  const line = new RegExp(`^\\s*--${name.replace(/[-]/g, '\\-')} (<[^>]+>|\\S+)\\s+(.+)$`, 'm').exec(help);
  return line ? `: ${line[1]}, ${line[2].trim()}` : '';
}
