/**
 * The new text of a reply: quoted history and signatures removed. Pure, line based.
 * Recognizes "On ... wrote:" (Gmail, Apple Mail, Thunderbird; also wrapped over up to three
 * lines), "> " quoted lines, Outlook "-----Original Message-----" and "From:/Sent:" header
 * blocks (English and Chinese), "-- " signature delimiters and mobile "Sent from" footers.
 * When nothing would remain (a forward, a message that starts with a header block) the whole
 * text is kept.
 */
const WROTE_LINE = [
  /^On\b[\s\S]{0,400}\bwrote:$/i,
  /^Le\b[\s\S]{0,400}\ba écrit\s*:$/i,
  /^Am\b[\s\S]{0,400}\bschrieb[\s\S]{0,100}:$/i,
  /^[\s\S]{0,400}(?:写道|寫道)\s*[:：]$/,
];
const SEPARATOR_LINE = [
  /^-{2,}\s*Original Message\s*-{2,}$/i,
  /^-{2,}\s*(?:原始邮件|原始郵件|原邮件|原郵件)\s*-{2,}$/,
];
/** Outlook's rule above a reply header block; only a cut when a header block follows. */
const RULE_LINE = /^_{10,}$/;
const HEADER_FROM = /^\*?(?:From|发件人|寄件者|發件人)\*?\s*[:：]/i;
const HEADER_FOLLOW =
  /^\*?(?:Sent|Date|To|Subject|Cc|发送时间|日期|收件人|主题|主旨|寄件日期|傳送時間|收件者)\*?\s*[:：]/i;
const SIGNATURE_LINE = [
  /^--\s?$/,
  /^Sent from my [\w\s.-]{1,40}$/i,
  /^Sent from (?:Mail|Outlook|Yahoo Mail)\b.{0,60}$/i,
  /^Get Outlook for \w+.{0,20}$/i,
  /^(?:发自我的|發自我的|来自我的|來自我的)\s?.{1,30}$/,
];

/** "---------- Forwarded message ----------", "Begin forwarded message:", "-------- 转发的邮件 --------"... */
const FORWARD_LINE = [
  /^-{2,}\s*(?:Forwarded message|Forwarded Message|Original Message|Weitergeleitete Nachricht|Message transféré|转发的邮件|轉寄的郵件|转发邮件)\s*-{2,}$/i,
  /^Begin forwarded message\s*:$/i,
];

/**
 * The new text; when nothing of the sender's own would remain (a forward with no comment, a
 * body that is only a signature or only quotes) the whole text is kept, never an empty one.
 */
export function stripQuotedText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const cut = firstQuoteLine(lines);
  const kept = lines.slice(0, cut).filter((line) => !line.startsWith('>'));
  const signature = kept.findIndex((line) => SIGNATURE_LINE.some((re) => re.test(line.trim())));
  const body = (signature >= 0 ? kept.slice(0, signature) : kept).join('\n').trim();
  const ownWords = body
    .split('\n')
    .filter((line) => !FORWARD_LINE.some((re) => re.test(line.trim())))
    .join('\n')
    .trim();
  return ownWords === '' ? text.trim() : body;
}

function firstQuoteLine(lines: readonly string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    if (SEPARATOR_LINE.some((re) => re.test(line))) return i;
    if (RULE_LINE.test(line) && headerBlockAt(lines, i + 1)) return i;
    if (headerBlockAt(lines, i)) return i;
    if (wroteLineAt(lines, i)) return i;
  }
  return lines.length;
}

function wroteLineAt(lines: readonly string[], i: number): boolean {
  let joined = '';
  for (let j = i; j < Math.min(lines.length, i + 3); j++) {
    const part = lines[j].trim();
    if (part === '' || part.startsWith('>')) return false;
    joined = joined ? `${joined} ${part}` : part;
    if (WROTE_LINE.some((re) => re.test(joined))) return true;
  }
  return false;
}

/** An Outlook header block: a From line followed within a few lines by Sent/Date/To. */
function headerBlockAt(lines: readonly string[], i: number): boolean {
  let start = i;
  while (start < lines.length && lines[start].trim() === '') start++;
  if (start >= lines.length || !HEADER_FROM.test(lines[start].trim())) return false;
  for (let j = start + 1; j < Math.min(lines.length, start + 4); j++) {
    if (HEADER_FOLLOW.test(lines[j].trim())) return true;
  }
  return false;
}
