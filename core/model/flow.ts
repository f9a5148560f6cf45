import { z } from 'zod';

export const FORMAT_VERSION = 1 as const;

// The pattern lets '' through so an empty id gets one message (min 1: "must not be empty"), not two.
export const idSchema = z.string().min(1).max(100).regex(/^(?:[A-Za-z0-9][A-Za-z0-9_.-]*)?$/, {
  message: 'must start with a letter or digit and contain only letters, digits, "_", "." and "-"',
});

export const positionSchema = z.object({ x: z.number(), y: z.number() });

/** What a node does when it fails: stop the execution, continue with its input, or route to its `error` port. */
export const onErrorSchema = z.enum(['stop', 'continue', 'route']);

export const flowNodeSchema = z.object({
  id: idSchema,
  type: z.string().min(1),
  version: z.number().int().positive().default(1),
  name: z.string().max(200).optional(),
  position: positionSchema.default({ x: 0, y: 0 }),
  settings: z.record(z.string(), z.unknown()).default({}),
  onError: onErrorSchema.default('stop'),
  disabled: z.boolean().optional(),
  notes: z.string().optional(),
});

export const flowEdgeSchema = z.object({
  id: idSchema,
  source: idSchema,
  sourcePort: z.string().min(1).default('out'),
  target: idSchema,
  targetPort: z.string().min(1).default('in'),
});

export const flowSettingsSchema = z.object({
  /** `full` records every step's input and output; `metadata` keeps only status and timings. */
  diagnostics: z.enum(['full', 'metadata']).default('full'),
  retention: z
    .object({
      maxCount: z.number().int().positive().default(10_000),
      maxAgeDays: z.number().positive().default(30),
    })
    .default({ maxCount: 10_000, maxAgeDays: 30 }),
  /** Cycles are rejected unless the flow opts in (loops must then be bounded by the nodes themselves). */
  allowCycles: z.boolean().default(false),
  /** Optional business key expression (e.g. `trigger.body.orderId`) stored with each execution for search. */
  businessKey: z.string().optional(),
});

export const flowSchema = z.object({
  formatVersion: z.literal(FORMAT_VERSION),
  id: idSchema,
  name: z.string().min(1).max(200),
  description: z.string().optional(),
  /** Revision, bumped on every save; executions record the revision they ran. */
  revision: z.number().int().nonnegative().default(1),
  nodes: z.array(flowNodeSchema),
  edges: z.array(flowEdgeSchema).default([]),
  settings: flowSettingsSchema.default({
    diagnostics: 'full',
    retention: { maxCount: 10_000, maxAgeDays: 30 },
    allowCycles: false,
  }),
  /** Pinned sample message for the editor (completion, previews, test runs). */
  sample: z.unknown().optional(),
  /**
   * Pinned answers of nodes that call out (Web Integration, Publish Event), by node id: the data such a node hands
   * on in the studio's preview instead of its answer from the latest run (n8n's pinned data). Runs never use them.
   */
  pinned: z.record(z.string(), z.unknown()).optional(),
  updatedAt: z.string().optional(),
});

export type FlowNode = z.infer<typeof flowNodeSchema>;
export type FlowEdge = z.infer<typeof flowEdgeSchema>;
export type FlowSettings = z.infer<typeof flowSettingsSchema>;
export type Flow = z.infer<typeof flowSchema>;
/** A flow as a user may write it: defaults not yet filled in. */
export type FlowInput = z.input<typeof flowSchema>;
export type OnError = z.infer<typeof onErrorSchema>;
