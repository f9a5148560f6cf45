import { describe, expect, it } from 'vitest';
import { isWholeMessage } from '../../core/model/message';
import { toMessage } from '../../core/runtime/start-message';
import { sampleBody, sampleFromBody } from '../../renderer/inspector/use-sample';

describe('pinned samples: the sample editor and manual runs read them alike', () => {
  it('a whole message shows its request body; anything else is the body itself', () => {
    const whole = sampleFromBody({ orderId: 'A-1' });
    expect(isWholeMessage(whole)).toBe(true);
    expect(sampleBody(whole)).toEqual({ orderId: 'A-1' });
    // A Manual trigger's message has data but no request body.
    expect(sampleBody({ trigger: { type: 'manual' }, data: { n: 1 } })).toEqual({ n: 1 });
    // Without data it is not a message: a manual run starts with it as the body, so the editor shows it whole.
    const partial = { trigger: { body: { orderId: 'A-1' } } };
    expect(isWholeMessage(partial)).toBe(false);
    expect(sampleBody(partial)).toEqual(partial);
    expect(toMessage(partial, 'hook', 'webhook').data).toEqual(partial);
    expect(toMessage(whole, 'hook', 'webhook').data).toEqual({ orderId: 'A-1' });
  });
});
