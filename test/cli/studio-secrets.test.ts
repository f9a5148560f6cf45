import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { studioSecrets } from '../../core/cli/studio';
import { tempDir } from '../helpers/runtime';

describe('browser studio secrets', () => {
  it('survive a restart in a 0600 file of the data directory, with the environment as a fallback', () => {
    const dir = path.join(tempDir(), 'studio-data');
    const first = studioSecrets(dir, { PARTNER_TOKEN: 'from-env-1234' });
    expect(first.get('PARTNER_TOKEN')).toBe('from-env-1234');
    first.set('PARTNER_TOKEN', 'typed-in-studio-5678');
    first.set('ERP_PASSWORD', 'erp-pw-9012');
    first.set('ERP_PASSWORD', ''); // blank keeps the stored value

    const file = path.join(dir, 'secrets.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // A new process (a restart): what was typed is still there and wins over the environment.
    const again = studioSecrets(dir, { PARTNER_TOKEN: 'from-env-1234' });
    expect(again.get('PARTNER_TOKEN')).toBe('typed-in-studio-5678');
    expect(again.get('ERP_PASSWORD')).toBe('erp-pw-9012');
    expect(again.list()).toEqual(['ERP_PASSWORD', 'PARTNER_TOKEN']);
    again.delete('PARTNER_TOKEN');
    expect(studioSecrets(dir, { PARTNER_TOKEN: 'from-env-1234' }).get('PARTNER_TOKEN')).toBe('from-env-1234');
  });
});
