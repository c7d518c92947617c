/** The signature delimiter mail clients recognize ("-- " on a line of its own, RFC 3676). */
export const SIGNATURE_DELIMITER = '-- ';

/** The reply's text with the inbox's signature below the delimiter; unchanged without one. */
export function withSignature(text: string, signature: string | null | undefined): string {
  const sig = signature?.trim();
  if (!sig) return text;
  return `${text.replace(/\s+$/, '')}\n\n${SIGNATURE_DELIMITER}\n${sig}`;
}

/** The same for an HTML body: the signature escaped, its lines kept, in a div of its own. */
export function withHtmlSignature(html: string, signature: string | null | undefined): string {
  const sig = signature?.trim();
  if (!sig) return html;
  const escaped = sig
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '<br>');
  const block = `<div class="signature">${SIGNATURE_DELIMITER}<br>${escaped}</div>`;
  return /<\/body>/i.test(html) ? html.replace(/<\/body>/i, `${block}</body>`) : `${html}${block}`;
}
