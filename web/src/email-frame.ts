/**
 * An inbound e-mail's HTML, shown in a sandboxed srcdoc frame (no scripts, no same-origin
 * access). The frame inherits the app's Content-Security-Policy and adds its own, placed first in
 * the document so it governs every element after it: until the agent asks, nothing leaves the
 * browser (no remote images, stylesheets, fonts or media: a sender's tracking pixel learns
 * nothing); then remote images, styles, fonts and media may load. Scripts never run, and the
 * sandbox keeps a <meta http-equiv="refresh"> from navigating the frame.
 */

const BLOCKED =
  "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; media-src data:; base-uri 'none'; form-action 'none'";
const REMOTE =
  "default-src 'none'; img-src * data:; style-src * 'unsafe-inline'; font-src * data:; media-src *; base-uri 'none'; form-action 'none'";

/** The srcdoc of the frame: the policy first, the mail's HTML after it. */
export function emailSrcdoc(html: string, allowRemote: boolean): string {
  const policy = allowRemote ? REMOTE : BLOCKED;
  return `<meta http-equiv="Content-Security-Policy" content="${policy}">${html}`;
}

const REMOTE_REF =
  /\b(?:src|background|poster|srcset)\s*=\s*["']?\s*(?:https?:)?\/\/|url\(\s*["']?\s*(?:https?:)?\/\/|@import\b|<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?\/\//i;

/** Whether the mail refers to anything remote (so the "load remote content" button is offered). */
export function hasRemoteContent(html: string): boolean {
  return REMOTE_REF.test(html);
}
