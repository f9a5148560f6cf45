/** Where the studio token lives for the rest of the tab's life once it has left the address bar. */
export const TOKEN_STORAGE_KEY = 'hookline.studioToken';

export interface TokenEnv {
  location: { href: string };
  history: { state: unknown; replaceState(data: unknown, unused: string, url?: string | URL | null): void };
  storage: { getItem(key: string): string | null; setItem(key: string, value: string): void } | null;
}

/**
 * Reads the per-launch token from `?token=` (the URL `hookline studio` prints), keeps it in
 * sessionStorage so a reload still works, and removes it from the address bar so it does not end up in
 * bookmarks, screenshots or shared links. Falls back to the stored token on later loads.
 */
export function takeStudioToken(env: TokenEnv): string | undefined {
  const url = new URL(env.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      env.storage?.setItem(TOKEN_STORAGE_KEY, fromUrl);
    } catch {}
    url.searchParams.delete('token');
    env.history.replaceState(env.history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  try {
    return env.storage?.getItem(TOKEN_STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}
