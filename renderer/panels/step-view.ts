/**
 * How a recorded step message is shown: `data` and `vars` first (what processing nodes change), then the trigger,
 * which every step carries unchanged; and the text a node produced (an XML or text template, Build XML) as it
 * reads, since JSON would put it on one line with every quote and line break escaped.
 */
export interface StepView {
  json: string;
  texts: Array<{ label: string; text: string }>;
}

const isText = (v: unknown): v is string => typeof v === 'string' && (v.includes('\n') || v.trimStart().startsWith('<'));

/**
 * @example
 * stepView({ trigger: {}, data: '<a>\n</a>', vars: {} }); // { json: '{\n  "data": "<a>\\n</a>", …', texts: [{ label: 'data', text: '<a>\n</a>' }] }
 */
export function stepView(value: unknown): StepView {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !('data' in value)) return { json: JSON.stringify(value, null, 2) ?? '', texts: [] };
  const { data, vars, ...rest } = value as { data: unknown; vars?: unknown };
  const texts: StepView['texts'] = [];
  if (isText(data)) texts.push({ label: 'data', text: data });
  if (vars !== null && typeof vars === 'object')
    for (const [k, v] of Object.entries(vars)) if (isText(v)) texts.push({ label: `vars.${k}`, text: v });
  return { json: JSON.stringify({ data, ...(vars === undefined ? {} : { vars }), ...rest }, null, 2), texts };
}
