import { Fragment, isValidElement, type ReactNode } from 'react';
import { Icon } from '../icons';

/** React's camelCase SVG props as attributes; every other prop of an icon is already its attribute name. */
const ATTRIBUTES: Record<string, string> = { strokeWidth: 'stroke-width', strokeLinecap: 'stroke-linecap', strokeLinejoin: 'stroke-linejoin' };
const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

function markup(node: ReactNode, color: string): string {
  if (Array.isArray(node)) return node.map((n) => markup(n as ReactNode, color)).join('');
  if (typeof node === 'string' || typeof node === 'number') return escapeXml(String(node));
  if (!isValidElement(node)) return '';
  const { children, ...props } = node.props as { children?: ReactNode } & Record<string, unknown>;
  if (node.type === Fragment) return markup(children, color);
  if (typeof node.type !== 'string') throw new Error('icon-image: an icon may only contain SVG elements');
  const attrs = Object.entries(props)
    .filter(([k, v]) => v != null && k !== 'className' && !k.startsWith('aria-'))
    .map(([k, v]) => ` ${ATTRIBUTES[k] ?? k}="${escapeXml(v === 'currentColor' ? color : String(v))}"`)
    .join('');
  const xmlns = node.type === 'svg' ? ' xmlns="http://www.w3.org/2000/svg"' : '';
  return `<${node.type}${xmlns}${attrs}>${markup(children, color)}</${node.type}>`;
}

const cache = new Map<string, string>();

/**
 * The drawing of `<Icon name>` (renderer/icons.tsx) as a CSS image, `url("data:image/svg+xml,…")`, in one colour.
 * A node card shows its icon this way rather than as inline `<svg>`: Chromium gives every inline `<svg>` a
 * paint layer of its own, and one per card is a measurable part of each frame of a pan over hundreds of cards;
 * a background image is painted with the card. Same paths, same stroke, so it looks the same.
 */
export function iconImage(name: string, color: string): string {
  const key = `${name}\n${color}`;
  let url = cache.get(key);
  if (!url) {
    // Icon is a plain function of its props (no hooks), so calling it yields the element tree it renders.
    url = `url("data:image/svg+xml,${encodeURIComponent(markup(Icon({ name }), color))}")`;
    cache.set(key, url);
  }
  return url;
}
