import { isDeepStrictEqual } from 'node:util';

/** One POST outside the measurement, to check a server's answer before it is timed. */
export async function postOnce(url: string, body: string): Promise<{ status: number; text: string; json: unknown }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

/**
 * Throws unless every server answers 200 with the same JSON, so the bench never times a server that does
 * less (or other) work than its baseline.
 */
export async function expectSameAnswers(what: string, urls: Record<string, string>, body: string): Promise<unknown> {
  const answers = await Promise.all(Object.entries(urls).map(async ([name, url]) => ({ name, ...(await postOnce(url, body)) })));
  const first = answers[0];
  for (const a of answers) {
    if (a.status !== 200) throw new Error(`${what}: ${a.name} answered ${a.status}: ${a.text.slice(0, 300)}`);
    if (!isDeepStrictEqual(a.json, first.json)) throw new Error(`${what}: ${a.name} answered ${a.text.slice(0, 300)} but ${first.name} answered ${first.text.slice(0, 300)}`);
  }
  return first.json;
}
