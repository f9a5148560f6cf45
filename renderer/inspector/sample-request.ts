/** A message-shaped sample from a request body, as a webhook trigger would produce it (`data`: what it parsed). */
export function sampleFromBody(body: unknown, method = 'POST', path = '/webhook', contentType = 'application/json', data: unknown = body) {
  return {
    trigger: { type: 'webhook', method, path, query: {}, headers: { 'content-type': contentType }, body },
    data,
    vars: {},
  };
}

/**
 * The request body a pinned sample stands for, as the test request, the endpoint's cURL and the sample editor show
 * it: a JSON body as JSON; a body the trigger received as text (XML, plain text, a form) as that text, with its own
 * Content-Type. Sending an XML sample as a JSON string made the Mock ERP example answer "ERP-" (no order id).
 *
 * @example
 * sampleRequest({ trigger: { body: '<a/>', headers: { 'content-type': 'application/xml' } }, data: { a: '' } }); // { contentType: 'application/xml', body: '<a/>', json: false }
 */
export function sampleRequest(sample: unknown, pretty = false): { contentType: string; body: string; json: boolean } {
  const trigger = (sample as { trigger?: { body?: unknown; headers?: Record<string, unknown>; contentType?: unknown } } | undefined)?.trigger;
  const body = trigger?.body;
  const declared = contentTypeOf(trigger?.headers) ?? (typeof trigger?.contentType === 'string' ? trigger.contentType : undefined);
  if (typeof body === 'string' && declared && !isJson(declared)) return { contentType: declared, body, json: false };
  return { contentType: 'application/json', body: JSON.stringify(body ?? { hello: 'world' }, null, pretty ? 2 : undefined), json: true };
}

function contentTypeOf(headers: Record<string, unknown> | undefined): string | undefined {
  for (const k in headers ?? {}) if (k.toLowerCase() === 'content-type' && typeof headers![k] === 'string') return headers![k] as string;
  return undefined;
}

const isJson = (contentType: string) => /^application\/(?:[\w.-]+\+)?json\b/i.test(contentType.trim());

/**
 * What "Pin request body" makes of the sample editor's text: JSON as before; else, when the text is XML (or the
 * pinned sample was a text body of its own type), a sample of that body with its Content-Type and, for XML, the
 * data the webhook trigger would parse from it (loaded only then: the XML parser is not in the studio's first
 * scripts). The error names the field and the problem.
 */
export async function sampleFromText(text: string, current: unknown, at: { method: string; path: string }): Promise<{ sample: unknown } | { error: string }> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const was = current === undefined ? undefined : sampleRequest(current);
    const contentType = was && !was.json ? was.contentType : text.trimStart().startsWith('<') ? 'application/xml' : undefined;
    if (!contentType) return { error: `sample: not valid JSON: ${(e as Error).message}` };
    let data: unknown = text;
    if (/xml/i.test(contentType)) {
      try {
        data = (await import('../../core/webhook/xml-body')).parseXmlBody(text);
      } catch (x) {
        return { error: `sample: not well-formed XML: ${(x as Error).message.replace(/^XML: /, '')}` };
      }
    }
    return { sample: sampleFromBody(text, at.method, at.path, contentType, data) };
  }
  return { sample: sampleFromBody(json, at.method, at.path) };
}
