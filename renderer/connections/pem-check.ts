import type { HostApi } from '../../core/host/api';
import { stripSecretName } from './certificate-upload';

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Checks a PEM certificate (bundle) typed into a form field before it is used or stored: the text must
 * hold at least one complete `BEGIN/END CERTIFICATE` block and the host must parse it. The value goes to
 * the host as a one-call override, never stored. Returns null when it parses, else a message naming the field.
 *
 * @example
 * const err = await checkPemCertificate(host, 'Extra CA bundle (PEM)', 'CONN_ERP_CA', text);
 */
export async function checkPemCertificate(host: HostApi, label: string, secretName: string, pem: string): Promise<string | null> {
  const blocks = pem.match(PEM_CERT) ?? [];
  if (!blocks.length) return `${label}: not a PEM certificate (expected -----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)`;
  // The host reads the first certificate of a text; a bundle is checked block by block.
  for (const [i, block] of blocks.entries()) {
    try {
      await host.certificateInfo(secretName, undefined, { [secretName]: block });
    } catch (e: any) {
      const which = blocks.length > 1 ? `certificate ${i + 1} of ${blocks.length}: ` : '';
      return `${label}: ${which}${stripSecretName(e?.message ?? String(e), secretName)}`;
    }
  }
  return null;
}
