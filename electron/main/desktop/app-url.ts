// Which URLs are the console's own page: the built renderer's folder (file://…/out/renderer/) in the app, or
// the dev server's origin under `npm run dev`. Everything else — a bank's 3DS page, Stripe's card field, a link
// that slipped through — is someone else's page: it gets no IPC, no permissions and no navigation.

/**
 * `rendererUrl` is what the window loads (…/index.html or the dev server's root). Compared after parsing, so
 * `file:///…/out/renderer-evil/`, `http://localhost:5173.evil.test/` or `..` tricks don't pass a string prefix.
 */
export function appUrlMatcher(rendererUrl: string): (url: string) => boolean {
  let base: URL;
  try {
    base = new URL(rendererUrl);
  } catch {
    return () => false;
  }
  const folder = base.pathname.replace(/[^/]*$/, ''); // …/out/renderer/ (or / on the dev server)
  return (url: string) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    if (u.protocol !== base.protocol) return false;
    if (u.protocol === 'file:') return u.host === base.host && u.pathname.startsWith(folder);
    return u.origin === base.origin && u.pathname.startsWith(folder);
  };
}
