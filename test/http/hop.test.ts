import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendHop } from '../../core/http/hop';
import { json, startHttp, type TestServer } from './servers';

let srv: TestServer;
const agent = new http.Agent({ keepAlive: true });
beforeAll(async () => {
  srv = await startHttp((_req, res) => json(res, 200, { ok: true }));
});
afterAll(async () => {
  agent.destroy();
  await srv.close();
});

describe('sendHop', () => {
  it('fails an attempt node:http refuses to start, and leaves no timer to fire later (it crashed the process)', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      const started = Date.now();
      const attempt = sendHop(
        { method: 'GET', url: new URL(`${srv.url}/json`), headers: { 'X-Note': 'Preis 5 €' } },
        { agent, deadline: started + 50, totalMs: 50, connectMs: 50, maxResponseBytes: 1000 },
      );
      await expect(attempt).rejects.toMatchObject({ code: 'network', message: expect.stringContaining('ERR_INVALID_CHAR') });
      // Past the deadline and the connect timeout: the timers were cleared with the failure.
      await new Promise((r) => setTimeout(r, 150));
      expect(uncaught).toEqual([]);
      expect(srv.requests.length).toBe(0);
      // The agent still works for the next request.
      const ok = await sendHop({ method: 'GET', url: new URL(`${srv.url}/json`), headers: {} }, { agent, deadline: Date.now() + 5000, totalMs: 5000, connectMs: 5000, maxResponseBytes: 1000 });
      expect(ok.status).toBe(200);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
