// Owns the API token in the page: taken from #token= or ?token=, kept in sessionStorage, stripped from the address bar.
const KEY = 'rayos.apiToken';

/** The token for this tab, or null. Reads it from the URL once, then removes it from the address bar and history. */
export function takeSessionToken(): string | null {
  const url = new URL(window.location.href);
  const hash = new URLSearchParams(url.hash.startsWith('#') ? url.hash.slice(1) : url.hash);
  const fromUrl = hash.get('token') ?? url.searchParams.get('token');
  if (fromUrl !== null) {
    url.searchParams.delete('token');
    hash.delete('token');
    const rest = hash.toString();
    url.hash = rest === '' ? '' : `#${rest}`;
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    const token = fromUrl.trim();
    if (token !== '') sessionStorage.setItem(KEY, token);
    else sessionStorage.removeItem(KEY);
  }
  return sessionStorage.getItem(KEY);
}
