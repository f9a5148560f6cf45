import type { ReactNode } from 'react';

/** Small stroke icons (16px grid) so the UI needs no icon font or external assets. */
const paths: Record<string, ReactNode> = {
  webhook: <><circle cx="5" cy="11" r="2" /><circle cx="11" cy="11" r="2" /><circle cx="8" cy="4.5" r="2" /><path d="M7 6.3 5 9.2M9 6.3l2 2.9M7 11h2" /></>,
  reply: <><path d="M6 4 2.5 7.5 6 11" /><path d="M3 7.5h6a4 4 0 0 1 4 4V13" /></>,
  log: <><path d="M3 3.5h10M3 6.5h10M3 9.5h7M3 12.5h5" /></>,
  map: <><path d="M2.5 4h4l3 8h4" /><path d="M9.5 4h4" /><path d="M11.5 2 13.5 4l-2 2M11.5 10l2 2-2 2" /></>,
  template: <><path d="M5 3.5C3.5 3.5 3.5 5 3.5 6s-1 2-1 2 1 1 1 2 0 2.5 1.5 2.5M11 3.5c1.5 0 1.5 1.5 1.5 2.5s1 2 1 2-1 1-1 2 0 2.5-1.5 2.5" /></>,
  http: <><circle cx="8" cy="8" r="5.5" /><path d="M2.5 8h11M8 2.5c2 2 2 9 0 11M8 2.5c-2 2-2 9 0 11" /></>,
  switch: <><path d="M2.5 8h4l3-4h4M6.5 8l3 4h4" /></>,
  filter: <><path d="M2.5 3.5h11L9.5 8.5V13l-3-1.5v-3z" /></>,
  code: <><path d="m5.5 4.5-3 3.5 3 3.5M10.5 4.5l3 3.5-3 3.5" /></>,
  clock: <><circle cx="8" cy="8" r="5.5" /><path d="M8 5v3l2 1.5" /></>,
  xml: <><path d="m5.5 4.5-3 3.5 3 3.5M10.5 4.5l3 3.5-3 3.5M9 3.5l-2 9" /></>,
  'git-branch': <><circle cx="4.5" cy="3.5" r="1.5" /><circle cx="4.5" cy="12.5" r="1.5" /><circle cx="11.5" cy="5.5" r="1.5" /><path d="M4.5 5v6M11.5 7c0 3-7 2-7 4" /></>,
  'alert-triangle': <><path d="M8 2.5 14 13H2z" /><path d="M8 6.5v3M8 11.2v.3" /></>,
  globe: <><circle cx="8" cy="8" r="5.5" /><path d="M2.5 8h11M8 2.5c2 2 2 9 0 11M8 2.5c-2 2-2 9 0 11" /></>,
  parse: <><path d="M3 3.5h4M3 6.5h6M3 9.5h3" /><path d="m9 9 2 2 3-4" /><path d="M3 12.5h5" /></>,
  broadcast: <><circle cx="8" cy="8" r="1.5" /><path d="M5 5a4.2 4.2 0 0 0 0 6M11 5a4.2 4.2 0 0 1 0 6M3 3a7 7 0 0 0 0 10M13 3a7 7 0 0 1 0 10" /></>,
  edit: <><path d="M3 13h3l7-7-3-3-7 7z" /><path d="m9 4 3 3" /></>,
  split: <><path d="M2.5 8h4l3-4h4M6.5 8l3 4h4" /></>,
  'file-code': <><path d="M4 2.5h5l3 3v8H4z" /><path d="M9 2.5v3h3M7 8.5 5.8 10 7 11.5M9 8.5l1.2 1.5L9 11.5" /></>,
  node: <><rect x="3" y="3" width="10" height="10" rx="2" /></>,
  plus: <path d="M8 3v10M3 8h10" />,
  search: <><circle cx="7" cy="7" r="4" /><path d="m10 10 3.5 3.5" /></>,
  trash: <><path d="M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.7 8.5h5.6l.7-8.5" /></>,
  copy: <><rect x="5.5" y="5.5" width="7.5" height="7.5" rx="1.2" /><path d="M10.5 5.5V3.8c0-.7-.6-1.3-1.3-1.3H3.8c-.7 0-1.3.6-1.3 1.3v5.4c0 .7.6 1.3 1.3 1.3h1.7" /></>,
  undo: <><path d="M5.5 3.5 2.5 6.5l3 3" /><path d="M2.5 6.5h7a3.5 3.5 0 0 1 0 7H7" /></>,
  redo: <><path d="m10.5 3.5 3 3-3 3" /><path d="M13.5 6.5h-7a3.5 3.5 0 0 0 0 7H9" /></>,
  sidebar: <><rect x="2.5" y="3" width="11" height="10" rx="1.5" /><path d="M6 3v10" /></>,
  panel: <><rect x="2.5" y="3" width="11" height="10" rx="1.5" /><path d="M2.5 9.5h11" /></>,
  inspector: <><rect x="2.5" y="3" width="11" height="10" rx="1.5" /><path d="M10 3v10" /></>,
  layout: <><rect x="2" y="6" width="4" height="4" rx="1" /><rect x="10" y="2.5" width="4" height="4" rx="1" /><rect x="10" y="9.5" width="4" height="4" rx="1" /><path d="M6 8h2m0-3.5V11.5M8 4.5h2M8 11.5h2" /></>,
  upload: <><path d="M8 10.5V3M5 6l3-3 3 3M3 10.5v2.5h10v-2.5" /></>,
  download: <><path d="M8 3v7.5M5 7.5l3 3 3-3M3 10.5v2.5h10v-2.5" /></>,
  rocket: <><path d="M9.5 2.5c2.5 0 4 1.5 4 4l-5 5-3-3z" /><path d="M6.5 8.5 3 9l2-3h3M7.5 9.5 7 13l3-2v-3" /></>,
  stop: <rect x="4" y="4" width="8" height="8" rx="1.5" />,
  warn: <><path d="M8 2.5 14 13H2z" /><path d="M8 6.5v3M8 11.2v.3" /></>,
  check: <path d="m3.5 8.5 3 3 6-7" />,
  x: <path d="m4 4 8 8M12 4l-8 8" />,
  chevron: <path d="m6 4 4 4-4 4" />,
  keyboard: <><rect x="1.5" y="4" width="13" height="8" rx="1.5" /><path d="M4 6.5h.5M6.5 6.5H7M9 6.5h.5M11.5 6.5h.5M4.5 9.5h7" /></>,
  sun: <><circle cx="8" cy="8" r="3" /><path d="M8 1.5v1.5M8 13v1.5M1.5 8H3M13 8h1.5M3.4 3.4l1 1M11.6 11.6l1 1M3.4 12.6l1-1M11.6 4.4l1-1" /></>,
  moon: <path d="M13 9.5A5.5 5.5 0 1 1 6.5 3a4.5 4.5 0 0 0 6.5 6.5z" />,
  play: <path d="M5 3.5v9l7-4.5z" />,
  note: <><path d="M3.5 2.5h6l3 3v8h-9z" /><path d="M9.5 2.5v3h3M5.5 8.5h5M5.5 11h3" /></>,
  pin: <><path d="M6 2.5h4M7 2.5v4L4.5 9h7L9 6.5v-4" /><path d="M8 9v4.5" /></>,
  key: <><circle cx="5.5" cy="10.5" r="2.5" /><path d="m7.3 8.7 5.2-5.2M10.5 5.5l1.5 1.5" /></>,
  fit: <><path d="M2.5 6V2.5H6M10 2.5h3.5V6M13.5 10v3.5H10M6 13.5H2.5V10" /></>,
  /** Bundles (next to an arrow on narrow top bars). */
  package: <><path d="M8 1.75 13.5 4.5v7L8 14.25 2.5 11.5v-7z" /><path d="M2.5 4.5 8 7.25l5.5-2.75M8 7.25v7" /></>,
  /** Environments: stacked sets of variables. */
  layers: <><path d="M8 2.5 13.5 5.25 8 8 2.5 5.25z" /><path d="m2.5 8 5.5 2.75L13.5 8" /><path d="m2.5 10.75 5.5 2.75 5.5-2.75" /></>,
};

/** Whether an icon name has its own drawing (otherwise the generic square is shown). */
export function hasIcon(name: string): boolean {
  return Object.hasOwn(paths, name);
}

export function Icon({ name, size = 16, className }: { name: string; size?: number; className?: string }) {
  return (
    <svg className={className} width={size} height={size} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      {paths[name] ?? paths.node}
    </svg>
  );
}
