/**
 * Errors of the outbound HTTP layer. Each carries a stable code (for the error catalogue and for
 * routing in flows) and, once a request has been made, the exchange so far (secrets masked).
 */
export type HttpErrorCode =
  | 'invalid_request'
  | 'invalid_header'
  | 'http_status'
  | 'timeout'
  | 'connect_timeout'
  | 'network'
  | 'response_too_large'
  | 'too_many_redirects'
  | 'aborted'
  | 'missing_secret'
  | 'certificate_invalid'
  | 'tls_rejected'
  | 'certificate_expired'
  | 'certificate_not_yet_valid'
  | 'certificate_passphrase'
  | 'oauth2_token'
  | 'oauth2_callback';

export class HttpError extends Error {
  constructor(
    message: string,
    public readonly code: HttpErrorCode,
    /** The exchange up to the failure (request as sent, attempts, last response), when there was one. */
    public exchange?: unknown,
    /** HTTP status of the last response for `http_status` errors. */
    public readonly status?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Codes worth another attempt: the server or network may recover. */
export function isRetryableCode(code: HttpErrorCode): boolean {
  return code === 'timeout' || code === 'connect_timeout' || code === 'network';
}
