/** Turning rendered markup into plain text: email text alternatives and speech. */
import { compile } from 'html-to-text';

const emailText = compile({
  wordwrap: 78,
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'table', format: 'dataTable' },
  ],
});

/**
 * The content of the one <body> element, or the whole input. html-to-text only outputs the
 * body (its default base element) and falls back to the whole document when there is none, so
 * handing it the body alone gives the same text without tokenizing the head.
 */
function bodyContent(html: string): string {
  const open = html.search(/<body[\s>]/i);
  if (open < 0 || html.slice(open + 5).search(/<body[\s>]/i) >= 0) return html;
  const start = html.indexOf('>', open);
  const end = html.lastIndexOf('</body>');
  return start < 0 || end < start ? html : html.slice(start + 1, end);
}

/** The text alternative of an HTML email. */
export function htmlToPlainText(html: string): string {
  return emailText(bodyContent(html)).trim();
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
