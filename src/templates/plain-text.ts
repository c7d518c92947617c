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

/** The text alternative of an HTML email. */
export function htmlToPlainText(html: string): string {
  return emailText(html).trim();
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
