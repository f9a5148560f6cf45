import type { ButtonHTMLAttributes } from 'react';

/**
 * A button that shows only an icon: `label` is its accessible name (screen readers, `getByRole`) and, with
 * the shortcut, its tooltip, so the two cannot drift apart.
 */
export function IconButton({ label, shortcut, className = 'hl-icon-btn', testId, ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { label: string; shortcut?: string; testId?: string }) {
  return <button className={className} title={shortcut ? `${label} (${shortcut})` : label} aria-label={label} data-testid={testId} {...rest} />;
}
