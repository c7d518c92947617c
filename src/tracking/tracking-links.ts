/** Rewrites rendered campaign content: signed click links and an open pixel in HTML, short links in SMS text. */
import { randomBytes } from 'crypto';
import type { LinkSigner } from './link-signer';

export interface RecipientRef {
  campaignId: string;
  customerId: string;
  channel: string;
}

const HREF = /href="(https?:\/\/[^"]+)"/g;
const URL_IN_TEXT = /https?:\/\/[^\s<>"]+/g;

export function unsubscribeUrl(signer: LinkSigner, base: string, r: RecipientRef): string {
  return `${base}/u/${signer.sign('u', [r.campaignId, r.customerId, r.channel])}`;
}

export function clickUrl(signer: LinkSigner, base: string, r: RecipientRef, url: string): string {
  return `${base}/t/c/${signer.sign('c', [r.campaignId, r.customerId, r.channel, url])}`;
}

export function pixelUrl(signer: LinkSigner, base: string, r: RecipientRef): string {
  return `${base}/t/o/${signer.sign('o', [r.campaignId, r.customerId, r.channel])}.gif`;
}

/**
 * Every http(s) href except our own unsubscribe and preference-centre links becomes a signed
 * click link; the pixel goes before </body>.
 */
export function trackHtml(html: string, signer: LinkSigner, base: string, r: RecipientRef): string {
  const own = [`${base}/u/`, `${base}/p/`];
  const linked = html.replace(HREF, (whole, url: string) => {
    const raw = url.replace(/&amp;/g, '&');
    if (own.some((prefix) => raw.startsWith(prefix))) return whole;
    return `href="${clickUrl(signer, base, r, raw)}"`;
  });
  const pixel = `<img src="${pixelUrl(signer, base, r)}" width="1" height="1" alt="" style="display:none">`;
  const at = linked.lastIndexOf('</body>');
  return at < 0 ? linked + pixel : linked.slice(0, at) + pixel + linked.slice(at);
}

export interface ShortLink {
  code: string;
  url: string;
}

export function newShortCode(): string {
  return randomBytes(6).toString('base64url');
}

/**
 * URLs in an SMS become <base>/s/<code>; returns the new text and the codes to store. The
 * hub's own links stay, except the preference-centre link (a signed token is too long for SMS).
 */
export function shortenText(text: string, base: string): { text: string; links: ShortLink[] } {
  const links: ShortLink[] = [];
  const out = text.replace(URL_IN_TEXT, (match) => {
    // Sentence punctuation right after a URL belongs to the sentence, not to the URL.
    const trail = /[.,;:!?)\]}'"]+$/.exec(match)?.[0] ?? '';
    const url = match.slice(0, match.length - trail.length);
    if (url.startsWith(`${base}/`) && !url.startsWith(`${base}/p/`)) return match;
    const code = newShortCode();
    links.push({ code, url });
    return `${base}/s/${code}${trail}`;
  });
  return { text: out, links };
}
