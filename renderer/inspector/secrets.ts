/** Secret names are environment-variable-like; the host reads the same convention (core/model/secret-names.ts). */
export { secretName } from '../../core/model/secret-names';

export function shortId(): string {
  return Math.random().toString(36).slice(2, 8);
}
