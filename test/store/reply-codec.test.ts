import { describe, expect, it } from 'vitest';
import { decodeReply, replyJson } from '../../core/store/record-codec';

describe('stored request-response answers (idempotent replay)', () => {
  it('keep status, headers and the body as sent: text as text, bytes as bytes, values as values', () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    for (const body of ['{"a":1}', 'plain text', bytes, { a: [1, null] }, null, 0, ''])
      expect(decodeReply(replyJson({ status: 202, headers: { 'x-a': 'b' }, body }))).toEqual({ status: 202, headers: { 'x-a': 'b' }, body });
    const decoded = decodeReply(replyJson({ status: 200, headers: {}, body: bytes }))!.body;
    expect(Buffer.isBuffer(decoded)).toBe(true);
    // No body at all is sent as JSON null (see sendReply).
    expect(decodeReply(replyJson({ status: 204, headers: {}, body: undefined }))!.body).toBeNull();
    expect(decodeReply(null)).toBeUndefined();
  });
});
