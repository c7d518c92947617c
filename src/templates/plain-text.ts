/** Turning rendered markup into plain text: email text alternatives and speech. */
import { compile } from 'html-to-text';

/**
 * Lines are not hard-wrapped: mail clients reflow plain text to their width (a 78-column wrap
 * reads badly on phones), and transports encode long lines (quoted-printable).
 */
const EMAIL_TEXT_OPTIONS = {
  wordwrap: false as const,
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'table', format: 'dataTable' },
  ],
};
/** A whole document: html-to-text outputs its <body> (or everything when there is none). */
const documentText = compile(EMAIL_TEXT_OPTIONS);
/** The content of a <body> already cut out: no base element to look for. */
const bodyText = compile({
  ...EMAIL_TEXT_OPTIONS,
  baseElements: { selectors: [], returnDomByDefault: true },
});

/**
 * The content of the one <body> element, or the whole input. html-to-text only outputs the
 * body (its default base element) and falls back to the whole document when there is none, so
 * handing it the body alone gives the same text without tokenizing the head.
 */
function bodyContent(html: string): string | null {
  const open = html.search(/<body[\s>]/i);
  if (open < 0 || html.slice(open + 5).search(/<body[\s>]/i) >= 0) return null;
  const start = html.indexOf('>', open);
  const end = html.lastIndexOf('</body>');
  return start < 0 || end < start ? null : html.slice(start + 1, end);
}

/** The text alternative of an HTML email. */
export function htmlToPlainText(html: string): string {
  const body = bodyContent(html);
  return (body === null ? documentText(html) : bodyText(body)).trim();
}

/** Speech text: no tags, no markdown emphasis, no URLs spelled out, one line per sentence group. */
export function toSpeechText(text: string): string {
  return text
    .replace(/<[^>]*>/g, ' ')
    .replace(/[*_`#>]+/g, '')
    .replace(/https?:\/\/\S+/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{2,}/g, '\n')
    .trim();
}
