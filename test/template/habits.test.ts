import { describe, expect, it } from 'vitest';
import { analyzeTemplate, compileTemplate, TemplateSyntaxError } from '../../core/template';

/** What users of mustache / Handlebars (Node-RED), Postman and n8n type first, answered with what to write here. */
const sample = {
  data: { orderId: 'A1', name: 'Ada', lines: [{ sku: 'S1', qty: 2 }] },
  trigger: { body: { orderId: 'A1' }, query: { page: '2' } },
  vars: { region: 'eu' },
};
const warnings = (text: string) => analyzeTemplate(text, 'xml', sample).problems.map((p) => `${p.severity}: ${p.message}`);

describe('templates written with the habits of other tools', () => {
  it('refuses mustache and Handlebars syntax with what to write instead', async () => {
    const fails = (text: string) => {
      try {
        compileTemplate(text, { kind: 'xml' });
      } catch (e) {
        expect(e).toBeInstanceOf(TemplateSyntaxError);
        return (e as TemplateSyntaxError).message;
      }
      throw new Error('compiled');
    };
    expect(fails('<a>{{{ data.name }}}</a>')).toBe("{{{ data.name }}} is mustache's unescaped output: write {{ data.name }} (every token is escaped for its position, and objects are inserted whole) (line 1, column 4)");
    expect(fails('{{#each data.lines}}<l n="{{@index}}"/>{{/each}}')).toContain('{{@index}} is Handlebars: name the index instead, {{#each list as item, i}} … {{ i }}');
    expect(fails('{{^data.note}}none{{/if}}')).toContain("{{^data.note}} is mustache's inverted section: write {{#if $not(data.note)}} … {{/if}}");
    // JSONata objects in a token stay allowed.
    await expect(compileTemplate('{{ {"a": data.name} }}', { kind: 'text' }).render(sample)).resolves.toBe('{"a":"Ada"}');
    expect(await compileTemplate('{"o": {{ {} }}}', { kind: 'json' }).render(sample)).toBe('{"o": {}}');
  });

  it('suggests the path a missing one probably meant', () => {
    expect(warnings('<a>{{orderId}}</a>')).toEqual(['warning: "orderId" is not in the sample data; did you mean "data.orderId"?']);
    expect(warnings('<a>{{ payload.name }}{{ msg.payload.name }}</a>')).toEqual([
      'warning: "payload.name" is not in the sample data; did you mean "data.name"?',
      'warning: "msg.payload.name" is not in the sample data; did you mean "data.name"?',
    ]);
    expect(warnings('{{#each data.lines as line}}<l>{{ this.sku }}{{ sku }}{{ data.qty }}</l>{{/each}}')).toEqual([
      'warning: "this.sku" is not in the sample data; did you mean "line.sku"?',
      'warning: "sku" is not in the sample data; did you mean "line.sku"?',
      'warning: "data.qty" is not in the sample data; did you mean "line.qty"?',
    ]);
    expect(warnings('<a>{{ query.page }}{{ region }}</a>')).toEqual([
      'warning: "query.page" is not in the sample data; did you mean "trigger.query.page"?',
      'warning: "region" is not in the sample data; did you mean "vars.region"?',
    ]);
    expect(warnings('<a>{{ data.nope }}</a>')).toEqual(['warning: "data.nope" is not in the sample data']);
  });

  it("names n8n's variables, which give no value here", () => {
    expect(warnings('<a>{{ $json.orderId }}</a>')).toEqual([
      'warning: $json is n8n\'s; here an expression reads data, trigger and vars (e.g. data.orderId), $env and $vars; did you mean "data.orderId"?',
    ]);
  });
});
