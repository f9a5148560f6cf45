import type { Connection, ConnectionInput } from '../model/connection';

/** Types of the outbound operations (test connection, certificates, events, cURL), re-exported by api.ts. */
/** Secret values by name that one host call uses in place of the stored ones, without storing them. */
export type SecretOverrides = Record<string, string>;

/** A connection given inline (not saved): id and name may be left out. */
export type InlineConnectionInput = Omit<ConnectionInput, 'id' | 'name'> & { id?: string; name?: string };

export type ConnectionInfo = Connection & {
  /** Secret names the connection refers to that are not set. */
  missingSecrets: string[];
};

export interface TestConnectionRequest {
  method: string;
  /** Absolute, or relative to the connection's baseUrl. */
  url: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  body?: string;
  contentType?: string;
}

/**
 * Outbound HTTP records as the studio receives them. Browser-safe mirrors of core/http's types (which
 * are Node-side); the compiler checks that the implementation's values fit them.
 */
export interface CertificateDetails {
  subject: string;
  issuer: string;
  /** DNS names and IP addresses from subjectAltName. */
  sans: string[];
  serialNumber: string;
  validFrom: string;
  validTo: string;
  fingerprintSha256: string;
  /** Whole days until validTo (negative once expired). */
  daysLeft: number;
  selfSigned: boolean;
}

export interface HttpTimings {
  dnsMs?: number;
  connectMs?: number;
  tlsMs?: number;
  firstByteMs?: number;
  totalMs: number;
  /** A kept-alive socket was reused: no DNS, connect or TLS this time. */
  reusedSocket: boolean;
}

export interface HttpAttempt {
  attempt: number;
  startedAt: string;
  durationMs: number;
  method: string;
  url: string;
  status?: number;
  error?: string;
  errorCode?: string;
  retryReason?: string;
  delayMs?: number;
  redirects: Array<{ status: number; from: string; to: string; crossOrigin: boolean; droppedHeaders: string[] }>;
  timings?: HttpTimings;
  /** The request as sent (first attempt, when the HTTP traffic is kept: full diagnostics). */
  request?: HttpTrafficRequest;
  /** The response's status text, headers and size (when the HTTP traffic is kept). */
  response?: { statusText: string; headers: Record<string, string>; sizeBytes: number };
}

/** A request as an execution record keeps it: headers (credentials masked) and the body, unless stored elsewhere. */
export interface HttpTrafficRequest {
  headers: Record<string, string>;
  body?: string;
  /** The body was the step's input data, as it is (not stored again). */
  bodyIsInputData?: true;
  /** Only the first TRAFFIC_BODY_LIMIT characters of the body are kept (core/http/client.ts). */
  bodyTruncated?: true;
}

export interface HttpExchange {
  ok: boolean;
  request: { method: string; url: string; headers: Record<string, string>; body?: string; bodyBytes: number };
  response?: { status: number; statusText: string; headers: Record<string, string>; body: unknown; rawText?: string; encoding: string; sizeBytes: number; url: string; parseError?: string };
  attempts: HttpAttempt[];
  durationMs: number;
  clientCertificate?: CertificateDetails;
  peerCertificate?: CertificateDetails;
}

export interface ConnectionTestResult {
  ok: boolean;
  exchange?: HttpExchange;
  error?: { code: string; message: string };
  timings?: HttpTimings;
  warnings: Array<{ code: string; message: string }>;
  /** OAuth2 token requests the test made, client secret and tokens masked (core/http/test-connection.ts). */
  tokenRequests?: TokenRequestRecord[];
}

/** One OAuth2 token request and its answer, as Test connection shows it. */
export interface TokenRequestRecord {
  url: string;
  method: 'POST';
  requestHeaders: Record<string, string>;
  requestBody: string;
  status?: number;
  responseHeaders?: Record<string, string>;
  responseBody?: string;
  durationMs: number;
  error?: string;
}

export interface EventDeliveryResult {
  subscriptionId: string;
  url: string;
  ok: boolean;
  status?: number;
  durationMs: number;
  attempts: HttpAttempt[];
  error?: { code: string; message: string };
  exchange?: HttpExchange;
}

export interface SignInStart {
  authorizeUrl: string;
  redirectUri: string;
  expiresAt: string;
}

export interface CurlImportResult {
  settings: Record<string, unknown>;
  /** Names of the secrets created for credentials found in the command. */
  secrets: string[];
  notes: string[];
}
