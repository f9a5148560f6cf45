// Writes schemas/bundle.schema.json from the zod schema (`npm run docs` runs it); a test checks it is current.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { bundleSchema } from '../core/model/bundle';

export function bundleJsonSchema(): string {
  const schema = z.toJSONSchema(bundleSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return JSON.stringify({ $id: 'https://hookline.dev/schemas/bundle.schema.json', title: 'Hookline bundle', ...schema }, null, 2) + '\n';
}

export const SCHEMA_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../schemas/bundle.schema.json');

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.writeFileSync(SCHEMA_FILE, bundleJsonSchema());
  console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
}
