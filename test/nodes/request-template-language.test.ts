import { describe, expect, it } from 'vitest';
import { httpRequestSpec } from '../../core/nodes/http-request/spec';
import { isFieldVisible } from '../../core/nodes/spec-types';
import { preview } from '../../renderer/editor/template-support';

/** The Web Integration request template is edited in the language the runtime renders it in (by content type). */
describe('Web Integration request template language', () => {
  const bodyField = (contentType: string) => httpRequestSpec.fields.filter((f) => f.key === 'body' && isFieldVisible(f, { contentType, url: 'x' }));

  it('has one visible editor per content type, in its language', () => {
    expect(bodyField('application/json').map((f) => f.language)).toEqual(['json']);
    expect(bodyField('application/xml').map((f) => f.language)).toEqual(['xml']);
    expect(bodyField('text/xml').map((f) => f.language)).toEqual(['xml']);
    expect(bodyField('text/plain').map((f) => f.language)).toEqual(['text']);
    expect(bodyField('application/x-www-form-urlencoded')).toEqual([]);
  });

  it('so an XML request template previews XML-escaped, as it is sent', async () => {
    const [f] = bodyField('application/xml');
    const ctx = { data: { id: 'A&1', name: 'x<y' }, trigger: {}, vars: {} };
    expect(await preview('<Order id="{{ data.id }}"><Name>{{ data.name }}</Name></Order>', 'template', f.language as 'xml', ctx)).toEqual({
      ok: true,
      text: '<Order id="A&amp;1"><Name>x&lt;y</Name></Order>',
    });
  });
});
