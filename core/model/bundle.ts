import { z } from 'zod';
import { flowSchema } from './flow';
import { subscriptionSchema } from './subscription';

export const BUNDLE_FORMAT_VERSION = 1 as const;

const name = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'must be a variable name: letters, digits and "_", not starting with a digit' });

export const environmentSchema = z.object({
  name: z.string().min(1).max(100),
  variables: z
    .array(
      z.object({
        name,
        /** Plain value; absent for secret variables (they come from the secret store by name). */
        value: z.string().optional(),
        secret: z.boolean().default(false),
        description: z.string().optional(),
      }),
    )
    .default([]),
});
export type Environment = z.infer<typeof environmentSchema>;

export const bundleManifestSchema = z.object({
  name: z.string().min(1).max(200),
  version: z.string().min(1).max(50),
  createdAt: z.string(),
  appVersion: z.string(),
  /** Node type -> node type version used by the flows. */
  nodeTypes: z.record(z.string(), z.number().int().positive()),
  /** `sha256:<hex>` of the canonical JSON of everything but this field. */
  checksum: z.string().regex(/^sha256:[0-9a-f]{64}$/, { message: 'must be "sha256:" followed by 64 hex digits' }),
});

/**
 * One versioned file holding a flow set for a server: flows, connections with secret *names* only, environments
 * and the list of secrets it needs. Written with a stable key order so it diffs cleanly in git.
 */
export const bundleSchema = z.object({
  formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
  kind: z.literal('hookline.bundle'),
  manifest: bundleManifestSchema,
  flows: z.array(flowSchema).min(1, { message: 'a bundle holds at least one flow' }),
  /** Saved connections (validated by the connection schema on import). */
  connections: z.array(z.record(z.string(), z.unknown())).default([]),
  environments: z.array(environmentSchema).default([]),
  /** Secret names the bundle needs, with where each is used. Values are never in a bundle. */
  secrets: z.array(z.object({ name, usedBy: z.array(z.string()) })).default([]),
  /** Environment variables the flows read through `$env`, with where each is used. */
  variables: z.array(z.object({ name, usedBy: z.array(z.string()) })).default([]),
  /**
   * The event subscriptions its Publish Event nodes deliver to (the applied set, of the event types they publish;
   * passwords and signing secrets by name). Absent when no flow publishes (and in bundles made before it existed,
   * whose checksum must still hold).
   */
  subscriptions: z.array(subscriptionSchema).optional(),
});
export type Bundle = z.infer<typeof bundleSchema>;
export type BundleInput = z.input<typeof bundleSchema>;

/** Whether parsed JSON claims to be a bundle (before it is checked): the CLI and the studio's Import flow tell it apart from a flow. */
export function isBundle(raw: unknown): boolean {
  if (!raw || typeof raw !== 'object') return false;
  const doc = raw as { kind?: unknown; manifest?: unknown; flows?: unknown };
  // A bundle whose `kind` was changed is still told about as a bundle (its kind is the problem), not as a flow.
  return doc.kind === 'hookline.bundle' || (!!doc.manifest && typeof doc.manifest === 'object' && Array.isArray(doc.flows));
}
