import { z } from 'zod';
import type { Flow, FlowInput } from '../model/flow';
import type { Problem } from '../model/problems';
import type { ExecutionStatus, RunEvent, StepRecord } from '../runtime/events';
import type { FieldSpec, NodeCategory, PortSpec } from '../nodes/spec-types';
import type { ConnectionInput } from '../model/connection';
import type { SubscriptionSetInput, SubscriptionState } from '../model/subscription';
import type { EnvironmentChange, EnvironmentInput, EnvironmentsState } from './environment-types';
import type { SecretOverrides, InlineConnectionInput, ConnectionInfo, TestConnectionRequest, CertificateDetails, ConnectionTestResult, EventDeliveryResult, SignInStart, CurlImportResult } from './outbound-types';
import type { FlowPreview } from './preview-types';

export type { EnvironmentChange, EnvironmentInfo, EnvironmentInput, EnvironmentsState, EnvironmentVariableInfo } from './environment-types';
export type { SecretOverrides, InlineConnectionInput, ConnectionInfo, TestConnectionRequest, CertificateDetails, HttpTimings, HttpAttempt, HttpTrafficRequest, HttpExchange, ConnectionTestResult, TokenRequestRecord, EventDeliveryResult, SignInStart, CurlImportResult } from './outbound-types';
export type { FlowPreview, NodePreview } from './preview-types';

/**
 * The one typed interface the studio uses to reach the runtime. Electron exposes it over IPC
 * (one channel per method, `host:<method>`), the browser studio over HTTP + WebSocket; both run the
 * same implementation (core/host/impl.ts).
 */
export interface FlowSummary {
  id: string;
  name: string;
  revision: number;
  updatedAt?: string;
  nodeCount: number;
  deployed: boolean;
  deployedRevision?: number;
  problems: number;
}

export interface Endpoint {
  flowId: string;
  nodeId: string;
  methods: string[];
  path: string;
  url: string;
  auth: string;
  responseMode: 'async' | 'requestResponse';
}

export interface DeployResult {
  ok: boolean;
  problems: Problem[];
  endpoints: Endpoint[];
  revision?: number;
}

export interface DeploymentInfo {
  flowId: string;
  revision: number;
  deployedAt: string;
  endpoints: Endpoint[];
}

export interface NodeCatalogueEntry {
  type: string;
  version: number;
  category: NodeCategory;
  title: string;
  description: string;
  icon: string;
  fields: FieldSpec[];
  inputs: PortSpec[];
}

export interface ExecutionSummary {
  id: string;
  flowId: string;
  flowRevision: number;
  triggerNodeId: string;
  status: ExecutionStatus;
  queuedAt: string;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  businessKey?: string;
  retryOf?: string;
  error?: { message: string; code?: string; nodeId?: string };
  /** Its ordered line is halted on it (a failed head) until it is retried or skipped (skipExecution). */
  blocking?: true;
}

export interface ExecutionDetail extends ExecutionSummary {
  input?: unknown;
  output?: unknown;
  steps: StepRecord[];
}

/** A manual run: the execution plus the reply a Respond node gave (if any). */
export type RunResult = ExecutionDetail & { reply?: { status: number; headers: Record<string, string>; body: unknown } };

export const executionQuerySchema = z.object({
  flowId: z.string().optional(),
  status: z.array(z.enum(['queued', 'running', 'succeeded', 'failed', 'timed-out', 'interrupted', 'parked'])).optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  businessKey: z.string().optional(),
  /** The studio's search box: a business key or an execution id containing this text. */
  search: z.string().optional(),
  /** Executions that are retries of this one. */
  retryOf: z.string().optional(),
  limit: z.number().int().positive().max(500).default(50),
  /** Opaque cursor from the previous page. */
  cursor: z.string().optional(),
});
export type ExecutionQuery = z.input<typeof executionQuerySchema>;

export interface Page<T> {
  items: T[];
  nextCursor?: string;
  total: number;
}

export interface TestRequest {
  method: string;
  /** Path on the runtime listener (`/orders?x=1`) or a full URL. */
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface TestResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  durationMs: number;
}

export interface TriggerStats {
  flowId: string;
  nodeId: string;
  /** Requests refused by authentication (no execution was started). */
  rejections: number;
  /** API key id -> last time it was used (ISO). */
  apiKeysLastUsed: Record<string, string>;
  queueDepth: number;
  running: number;
  blockedLanes: number;
}

export interface BundleImportResult {
  flows: Array<{ id: string; renamedFrom?: string; replaced?: boolean }>;
  connections: Array<{ id: string; replaced?: boolean }>;
  missingSecrets: string[];
  environments: string[];
  /** Event subscriptions added to the draft (`kept`: one of that id is here and stays); they take effect once applied. */
  subscriptions: Array<{ id: string; replaced?: boolean; kept?: boolean }>;
}

export interface RuntimeInfo {
  version: string;
  baseUrl: string;
  host: string;
  port: number;
  dataDir: string;
  /** The webhook port asked for, when another program held it and the runtime listens on `port` instead (desktop app). */
  requestedPort?: number;
}

export interface SecretInfo {
  name: string;
  set: boolean;
}

export interface HostApi {
  getRuntimeInfo(): Promise<RuntimeInfo>;
  listFlows(): Promise<FlowSummary[]>;
  getFlow(id: string): Promise<Flow>;
  /** Saves (autosave) and returns the normalised flow with every validation problem. */
  saveFlow(flow: FlowInput): Promise<{ flow: Flow; problems: Problem[] }>;
  deleteFlow(id: string): Promise<void>;
  validateFlow(flow: unknown): Promise<Problem[]>;
  getNodeCatalogue(): Promise<NodeCatalogueEntry[]>;
  deploy(flowId: string): Promise<DeployResult>;
  undeploy(flowId: string): Promise<void>;
  listDeployments(): Promise<DeploymentInfo[]>;
  listExecutions(query: ExecutionQuery): Promise<Page<ExecutionSummary>>;
  getExecution(id: string): Promise<ExecutionDetail | null>;
  retryExecution(id: string): Promise<{ executionId: string }>;
  /** Releases an ordered line halted on this execution without running it again. */
  skipExecution(id: string): Promise<void>;
  getTriggerStats(flowId: string, nodeId: string): Promise<TriggerStats>;
  sendTestRequest(req: TestRequest): Promise<TestResponse>;
  listSecrets(): Promise<SecretInfo[]>;
  /** Write-only: a blank value keeps the stored one. */
  setSecret(name: string, value: string): Promise<SecretInfo>;
  deleteSecret(name: string): Promise<void>;
  /** 32 random bytes, base64url: a fresh API key value. */
  generateApiKey(): Promise<string>;
  /**
   * Runs a saved flow once, now, without deploying it: starts at its Manual trigger (or `triggerNodeId`) with
   * the input (a whole message `{ trigger, data }` or just the data; default: the trigger's sample). Returns the
   * recorded execution with every step and the reply a Respond node gave.
   */
  runFlow(flowId: string, input?: unknown, triggerNodeId?: string): Promise<RunResult>;
  /**
   * What each node of a flow (a draft as the studio holds it) would receive from `input` (a whole message or the
   * request body), calling nothing outside: data nodes run, nodes that call out hand on their answer from the
   * execution `executionId` (if it recorded one), or the preview stops there. The studio's completion, hover and
   * previews read a node's input from this.
   */
  previewFlow(flow: unknown, input: unknown, opts?: { triggerNodeId?: string; executionId?: string }): Promise<FlowPreview>;
  /** The next `count` run times (ISO) of a Schedule trigger in a saved flow, from now. */
  getNextRuns(flowId: string, nodeId: string, count: number): Promise<string[]>;
  /** One bundle file (deterministic JSON) of these flows, their connections and the environments. */
  /** `warnings`: what the export left out without refusing it (a connection's unknown field such as `baseURL`). */
  exportBundle(opts: { flowIds: string[]; name?: string; version?: string }): Promise<{ fileName: string; text: string; warnings?: Problem[] }>;
  /** Validates (every problem with its path) and imports a bundle; an existing flow id is renamed or replaced. */
  importBundle(text: string, opts: { onConflict: 'rename' | 'replace' }): Promise<BundleImportResult>;
  // Connections ("authorisation config groups") and event subscriptions: see the README, "Connections, Web Integration and Publish Event".
  listConnections(): Promise<ConnectionInfo[]>;
  getConnection(id: string): Promise<ConnectionInfo>;
  /** Validates with the connection schema (ProblemsError naming every field) and saves. */
  saveConnection(connection: ConnectionInput): Promise<ConnectionInfo>;
  /** Refused while a saved flow's node uses the connection. */
  deleteConnection(id: string): Promise<void>;
  /**
   * One request through a saved or inline connection: the whole exchange, masked, with timings and certificates.
   * `overrides` (secret name -> value, e.g. what the form holds unsaved) are used for this request only and
   * never stored; blank values fall back to the stored secret. `testId` (chosen by the caller) lets cancelTest stop it.
   */
  testConnection(target: { connectionId: string } | { connection: InlineConnectionInput }, request: TestConnectionRequest, overrides?: SecretOverrides, testId?: string): Promise<ConnectionTestResult>;
  /**
   * "Send test request" on a Web Integration node: the runtime renders the node's request from `sample` (a message,
   * or a request body) as a run would, with `$env` and the connection's values (requestor, username, password),
   * then sends it once through the node's connection, with its timeouts and without retries. `overrides` as for
   * testConnection. Bad settings are a ProblemsError naming each field (`settings.url`, ...).
   */
  sendNodeTestRequest(nodeSettings: Record<string, unknown>, sample?: unknown, overrides?: SecretOverrides, testId?: string): Promise<ConnectionTestResult>;
  /**
   * Cancels the testConnection / sendNodeTestRequest call made with this `testId` (Postman's Cancel): it answers at
   * once with `error.code` `aborted`. False when no such test is running (it had already finished).
   */
  cancelTest(testId: string): Promise<boolean>;
  /**
   * "Current client certificate: expires ..." for a certificate secret (PEM or base64 PFX); `overrides` as for
   * testConnection. With `keySecret` the PEM certificate is checked together with its private key (opened with
   * `passphraseSecret`); a key error names the key secret (`KEY_SECRET: ...`), a certificate error the certificate's.
   */
  certificateInfo(secretName: string, passphraseSecret?: string, overrides?: SecretOverrides, keySecret?: string): Promise<CertificateDetails>;
  /** Web Integration settings from a cURL command; credentials are stored as new secrets (names returned). */
  importCurl(text: string): Promise<CurlImportResult>;
  /** A cURL command for Web Integration settings; secrets appear as `<secret:NAME>` placeholders. */
  toCurl(nodeSettings: Record<string, unknown>): Promise<string>;
  /** OAuth2 authorization code + PKCE: the URL to open; the runtime serves the loopback redirect. */
  startOAuthSignIn(connectionId: string): Promise<SignInStart>;
  getSubscriptions(): Promise<SubscriptionState>;
  /**
   * Stores a draft; nothing changes for Publish Event nodes until applySubscriptions. `secretValues`: new
   * values for the draft's password / signing secrets (blank keeps the stored one), also live only once applied.
   */
  saveSubscriptions(set: SubscriptionSetInput, secretValues?: Record<string, string>): Promise<SubscriptionState>;
  applySubscriptions(): Promise<SubscriptionState>;
  /** A dummy event to the (draft) subscription of this id or event type; returns the exchange. */
  sendTestEvent(eventTypeOrId: string): Promise<EventDeliveryResult>;
  // Environments (Postman's): see the README, "Environments". Every change redeploys the deployed flows.
  getEnvironments(): Promise<EnvironmentsState>;
  /**
   * Validates (a ProblemsError naming each field: `variables[2].name`, ...) and saves one environment: a new one, or
   * with `previousName` the one of that name (renamed when the names differ); a new one never replaces another.
   * `secretValues` (variable name -> value) are stored write-only for its secret variables; blank keeps the stored one.
   */
  saveEnvironment(env: EnvironmentInput, opts?: { previousName?: string; secretValues?: Record<string, string> }): Promise<EnvironmentChange>;
  deleteEnvironment(name: string): Promise<EnvironmentChange>;
  /** The environment flows read as `$env` from now on (null: the process environment only). */
  setActiveEnvironment(name: string | null): Promise<EnvironmentChange>;
  /** Live run events; returns an unsubscribe function. */
  onEvent(cb: (event: RunEvent) => void): () => void;
}

/** Argument schemas per method: the transports validate every call with these (the renderer is untrusted). */
const id = z.string().min(1).max(200);
const secretName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/);
/** A caller-chosen id for a cancellable test request. */
const testId = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/);
const secretOverrides = z.record(secretName, z.string().max(65536)).refine((o) => Object.keys(o).length <= 50, 'at most 50 secret overrides');
export const hostMethodArgs = {
  getRuntimeInfo: z.tuple([]),
  listFlows: z.tuple([]),
  getFlow: z.tuple([id]),
  saveFlow: z.tuple([z.record(z.string(), z.unknown())]),
  deleteFlow: z.tuple([id]),
  validateFlow: z.tuple([z.unknown()]),
  getNodeCatalogue: z.tuple([]),
  deploy: z.tuple([id]),
  undeploy: z.tuple([id]),
  listDeployments: z.tuple([]),
  listExecutions: z.tuple([executionQuerySchema.partial()]),
  getExecution: z.tuple([id]),
  retryExecution: z.tuple([id]),
  skipExecution: z.tuple([id]),
  getTriggerStats: z.tuple([id, id]),
  sendTestRequest: z.tuple([
    z.object({
      method: z.string().min(1).max(10),
      url: z.string().min(1).max(8192),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.string().optional(),
    }),
  ]),
  listSecrets: z.tuple([]),
  setSecret: z.tuple([z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().max(65536)]),
  deleteSecret: z.tuple([z.string().min(1)]),
  generateApiKey: z.tuple([]),
  runFlow: z.tuple([id, z.unknown().optional(), id.optional()]),
  previewFlow: z.tuple([z.unknown(), z.unknown(), z.object({ triggerNodeId: id.optional(), executionId: id.optional() }).strict().optional()]),
  getNextRuns: z.tuple([id, id, z.number().int().min(1).max(100)]),
  exportBundle: z.tuple([z.object({ flowIds: z.array(id).min(1), name: z.string().max(200).optional(), version: z.string().max(50).optional() })]),
  importBundle: z.tuple([z.string().max(50 * 1024 * 1024), z.object({ onConflict: z.enum(['rename', 'replace']) })]),
  listConnections: z.tuple([]),
  getConnection: z.tuple([id]),
  saveConnection: z.tuple([z.record(z.string(), z.unknown())]),
  deleteConnection: z.tuple([id]),
  testConnection: z.tuple([
    z.union([z.object({ connectionId: id }), z.object({ connection: z.record(z.string(), z.unknown()) })]),
    z.object({
      method: z.string().min(1).max(10),
      url: z.string().min(1).max(8192),
      headers: z.record(z.string(), z.string()).optional(),
      query: z.record(z.string(), z.string()).optional(),
      body: z.string().max(10 * 1024 * 1024).optional(),
      contentType: z.string().max(200).optional(),
    }),
    secretOverrides.optional(),
    testId.optional(),
  ]),
  sendNodeTestRequest: z.tuple([z.record(z.string(), z.unknown()), z.unknown().optional(), secretOverrides.optional(), testId.optional()]),
  cancelTest: z.tuple([testId]),
  certificateInfo: z.tuple([secretName, secretName.optional(), secretOverrides.optional(), secretName.optional()]),
  importCurl: z.tuple([z.string().min(1).max(1024 * 1024)]),
  toCurl: z.tuple([z.record(z.string(), z.unknown())]),
  startOAuthSignIn: z.tuple([id]),
  getSubscriptions: z.tuple([]),
  saveSubscriptions: z.tuple([z.record(z.string(), z.unknown()), z.record(secretName, z.string().max(65536)).optional()]),
  applySubscriptions: z.tuple([]),
  sendTestEvent: z.tuple([id]),
  getEnvironments: z.tuple([]),
  saveEnvironment: z.tuple([
    z.record(z.string(), z.unknown()),
    z.object({ previousName: z.string().max(100).optional(), secretValues: z.record(secretName, z.string().max(65536)).optional() }).strict().optional(),
  ]),
  deleteEnvironment: z.tuple([z.string().min(1).max(100)]),
  setActiveEnvironment: z.tuple([z.string().min(1).max(100).nullable()]),
} satisfies Record<Exclude<keyof HostApi, 'onEvent'>, z.ZodType>;

export type HostMethod = keyof typeof hostMethodArgs;
export const HOST_METHODS = Object.keys(hostMethodArgs) as HostMethod[];
export const hostChannel = (m: HostMethod) => `host:${m}` as const;
export const HOST_EVENT_CHANNEL = 'host:event';
