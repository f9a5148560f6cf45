import { describe, expect, it } from 'vitest';
import type { EnvironmentInfo } from '../../core/host/api';
import { changeText, copyDraftOf, draftErrors, draftOf, emptyVar, hasErrors, isEdited, saveInput, toggleSecret, withoutError } from '../../renderer/environments/environment-rows';

const dev: EnvironmentInfo = {
  name: 'dev',
  variables: [
    { name: 'ERP_URL', value: 'https://erp.dev', secret: false, description: 'ERP base' },
    { name: 'PARTNER_TOKEN', secret: true, set: true },
    { name: 'LATER', secret: false },
  ],
  missing: ['LATER'],
};

describe('environment rows', () => {
  it('saves what the draft holds: blank rows left out, secret values apart, and maps the rows to the saved list', () => {
    const d = draftOf(dev);
    expect(isEdited(d, dev)).toBe(false);
    d.rows.splice(1, 0, emptyVar());
    expect(isEdited(d, dev)).toBe(false);
    d.rows[2] = { ...d.rows[2], secretValue: 'tok-1' };
    const { env, secretValues, index } = saveInput(d);
    expect(env).toEqual({
      name: 'dev',
      variables: [
        { name: 'ERP_URL', value: 'https://erp.dev', secret: false, description: 'ERP base' },
        { name: 'PARTNER_TOKEN', secret: true },
        { name: 'LATER', secret: false },
      ],
    });
    expect(secretValues).toEqual({ PARTNER_TOKEN: 'tok-1' });
    expect(index).toEqual([0, -1, 1, 2]);
    expect(isEdited(d, dev)).toBe(true);
  });

  it('a new environment is unchanged until something is typed; the secret switch carries a typed value along', () => {
    const d = draftOf();
    expect(d.rows).toHaveLength(1);
    expect(isEdited(d)).toBe(false);
    const r = { ...d.rows[0], name: 'API_TOKEN', value: 't-1' };
    const secret = toggleSecret(r, true);
    expect(secret).toMatchObject({ secret: true, value: '', secretValue: 't-1' });
    expect(toggleSecret(secret, false)).toMatchObject({ secret: false, value: 't-1', secretValue: '' });
    expect(saveInput({ name: ' qa ', rows: [secret] })).toMatchObject({ env: { name: 'qa', variables: [{ name: 'API_TOKEN', secret: true }] }, secretValues: { API_TOKEN: 't-1' } });
  });

  it("puts the host's problems on the fields they name, through the row index, and drops them as fields are edited", () => {
    const index = [0, -1, 1];
    const e = draftErrors(
      [
        { path: 'name', message: 'an environment "dev" exists already' },
        { path: 'variables[1].name', message: 'must be a variable name' },
        { path: 'variables[0].value', message: 'looks like a credential' },
        { path: 'variables[1]', message: 'declared twice' },
        { path: 'secretValues.X', message: 'X is not a secret variable' },
      ],
      'fallback',
      index,
    );
    expect(e.name).toEqual(['an environment "dev" exists already']);
    expect(e.rows).toEqual([{ value: ['looks like a credential'] }, {}, { name: ['must be a variable name', 'declared twice'] }]);
    expect(e.other).toEqual(['secretValues.X: X is not a secret variable']);
    expect(draftErrors(undefined, 'socket hang up', index)).toMatchObject({ name: [], other: ['socket hang up'] });

    const edited = withoutError(withoutError(e, 'name'), { row: 0, field: 'value' })!;
    expect(edited.name).toEqual([]);
    expect(edited.rows[0].value).toBeUndefined();
    const removed = withoutError({ ...edited, other: [] }, { row: 1, removed: true })!;
    expect(removed.rows).toEqual([{ value: undefined }, { name: ['must be a variable name', 'declared twice'] }]);
    expect(hasErrors(removed)).toBe(true);
    expect(hasErrors(withoutError(removed, { row: 1, removed: true }))).toBe(false);
  });

  it('duplicates an environment under a free name, with its variables and plain values but no secret value', () => {
    const c = copyDraftOf(dev, ['dev', 'dev copy']);
    expect(c.name).toBe('dev copy 2');
    expect(copyDraftOf(dev, ['dev']).name).toBe('dev copy');
    expect(c.rows.map((r) => [r.name, r.value, r.secret, r.set, r.description])).toEqual([
      ['ERP_URL', 'https://erp.dev', false, false, 'ERP base'],
      ['PARTNER_TOKEN', '', true, false, ''],
      ['LATER', '', false, false, ''],
    ]);
    // A new environment to save (nothing saved under its name yet), with the secret still to type.
    expect(isEdited(c)).toBe(true);
    expect(saveInput(c).secretValues).toEqual({});
    expect(saveInput(c).env).toEqual({ name: 'dev copy 2', variables: [{ name: 'ERP_URL', value: 'https://erp.dev', secret: false, description: 'ERP base' }, { name: 'PARTNER_TOKEN', secret: true }, { name: 'LATER', secret: false }] });
  });

  it('says what a change did', () => {
    const state = { active: 'dev', environments: [] };
    expect(changeText('Environment "dev" is active', { state, redeployed: ['a', 'b'], failed: [] })).toBe('Environment "dev" is active: 2 deployed flows redeployed');
    expect(changeText('Environment "dev" saved', { state, redeployed: [], failed: [] })).toBe('Environment "dev" saved');
    expect(changeText('Environment "dev" is active', { state, redeployed: ['a'], failed: [{ flowId: 'b', message: 'url: invalid' }] })).toBe(
      'Environment "dev" is active: 1 deployed flow redeployed; 1 kept the old values (b: url: invalid)',
    );
  });
});
