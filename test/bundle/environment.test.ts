import { describe, expect, it } from 'vitest';
import { buildBundle } from '../../core/bundle/bundle';
import { resolveEnvironment } from '../../core/bundle/environment';
import { flowSchema } from '../../core/model/flow';
import { secretEnvValues } from '../../core/model/secret-env';
import { MemorySecretStore } from '../../core/secrets/secret-store';
import { chainFlow } from '../helpers/runtime';

const flow = flowSchema.parse(chainFlow({ path: '/x' }, [{ type: 'log', settings: { value: '$env.URL & $env.TOKEN' } }], { id: 'x' }));
const bundle = buildBundle({
  name: 'b',
  flows: [flow],
  environments: [{ name: 'prod', variables: [{ name: 'URL', value: 'https://erp', secret: false }, { name: 'TOKEN', secret: true }, { name: 'OLD', secret: true }] }],
});

describe('resolveEnvironment', () => {
  it('marks the secret variables, so records mask their values', () => {
    const r = resolveEnvironment(bundle, 'prod', {}, new MemorySecretStore({ TOKEN: 'tok-value-1', OLD: 'old-value-1' }));
    expect(r.missing).toEqual([]);
    expect(r.env).toEqual({ URL: 'https://erp', TOKEN: 'tok-value-1', OLD: 'old-value-1' });
    expect([...secretEnvValues(r.env)].sort()).toEqual(['old-value-1', 'tok-value-1']);
  });

  it('a variable nothing reads is reported as unused, not missing', () => {
    const r = resolveEnvironment(bundle, 'prod', {}, new MemorySecretStore({}));
    expect(r.missing).toEqual(['secret variable TOKEN (environment "prod")']);
    expect(r.unused).toEqual(['secret variable OLD (environment "prod")']);
  });
});
