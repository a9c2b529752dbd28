// What a page may do beyond plain web content. The console's own page may put text on the clipboard (the
// "Copy link" of a secure payment link goes through main's clipboard anyway: this keeps a page's own
// navigator.clipboard.writeText working too); nothing else, and other pages (a bank's 3DS page, Stripe's card
// field, in their own private sessions) get nothing at all. Notifications stay main's (see security.ts).

/** Permissions the console's own page is granted: writing the clipboard, never reading it. */
export const APP_PAGE_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function permissionDecision(
  permission: string,
  requestingUrl: string | undefined,
  isAppUrl: (url: string) => boolean,
): boolean {
  if (!APP_PAGE_PERMISSIONS.has(permission)) return false;
  return !!requestingUrl && isAppUrl(requestingUrl);
}
