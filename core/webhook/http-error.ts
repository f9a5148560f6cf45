/**
 * An error that already knows how the runtime should answer it: status, optional headers and a JSON-able
 * body. Thrown (or rejected) by the inbound request pieces so the runtime needs one `catch`, not a table
 * of error types.
 *
 * @example
 * ```ts
 * throw new HttpError(400, { error: 'malformed_body', message: 'Unexpected end of JSON input', line: 1, column: 9 });
 * ```
 */
export class HttpError extends Error {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body: unknown;

  constructor(status: number, body: unknown, headers?: Record<string, string>) {
    super(messageOf(body, status));
    this.name = 'HttpError';
    this.status = status;
    this.body = body;
    if (headers) this.headers = headers;
  }
}

function messageOf(body: unknown, status: number): string {
  if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string')
    return (body as { message: string }).message;
  if (typeof body === 'string') return body;
  return `HTTP ${status}`;
}
