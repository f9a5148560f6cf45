import { describe, expect, it } from 'vitest';
import { flowNameError } from '../../renderer/sidebar/flow-name';

describe('flow name check (top bar and sidebar rename)', () => {
  it('refuses empty and whitespace-only names with an error naming the field', () => {
    expect(flowNameError('')).toBe('Name: must not be empty');
    expect(flowNameError(' \t ')).toBe('Name: must not be empty');
    expect(flowNameError('x'.repeat(201))).toBe('Name: must be at most 200 characters');
  });
  it('accepts a name with blanks around it (they are dropped)', () => {
    expect(flowNameError('  Orders in  ')).toBeNull();
  });
});
