/**
 * RFC 3464 delivery status notifications: the message/delivery-status part is a per-message
 * field block followed by one block per recipient (Final-Recipient, Action, Status...).
 */
export interface BounceInfo {
  recipient: string;
  /** Enhanced status code, e.g. 5.1.1 */
  status: string;
  /** failed, delayed, delivered, relayed, expanded */
  action: string;
  /** 5.x.x is permanent, 4.x.x transient. */
  permanent: boolean;
  diagnostic?: string;
  /** Message-ID (no brackets) of the message that bounced, when the report quotes it. */
  originalMessageId?: string;
  /** Every recipient block, when the report names more than one. */
  recipients?: Omit<BounceInfo, 'recipients' | 'originalMessageId'>[];
}

export function isDeliveryReport(
  contentType: string | undefined,
  reportType: string | undefined,
): boolean {
  return (
    contentType?.toLowerCase() === 'multipart/report' &&
    reportType?.toLowerCase() === 'delivery-status'
  );
}

/** The field blocks of a report part (blank-line separated), each as lower-cased name -> value. */
export function fieldBlocks(report: string): Map<string, string>[] {
  return report
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map(parseFieldBlock);
}

/**
 * One report or several (a report may carry more than one status part; each is read and their
 * recipient blocks are joined, a part without any, e.g. prose labelled as a status, is skipped).
 */
export function parseDeliveryStatus(
  report: string | readonly string[],
  originalMessageId?: string,
): BounceInfo | null {
  const blocks = (typeof report === 'string' ? [report] : report).flatMap(fieldBlocks);
  const recipients = blocks
    .filter((fields) => fields.has('final-recipient') || fields.has('original-recipient'))
    .map(recipientOf);
  if (recipients.length === 0) return null;
  const first = recipients[0];
  return {
    ...first,
    ...(originalMessageId ? { originalMessageId } : {}),
    ...(recipients.length > 1 ? { recipients } : {}),
  };
}

function recipientOf(
  fields: ReadonlyMap<string, string>,
): Omit<BounceInfo, 'recipients' | 'originalMessageId'> {
  // Original-Recipient is the address we sent to; Final-Recipient may be it after alias expansion.
  const address = (fields.get('original-recipient') ?? fields.get('final-recipient') ?? '').replace(
    /^[^;]*;\s*/,
    '',
  );
  const status = /\d\.\d{1,3}\.\d{1,3}/.exec(fields.get('status') ?? '')?.[0] ?? '';
  const action = (fields.get('action') ?? '').trim().toLowerCase();
  const diagnostic = fields.get('diagnostic-code')?.replace(/^[^;]*;\s*/, '');
  return {
    recipient: address.replace(/^<|>$/g, '').trim().toLowerCase(),
    status,
    action,
    permanent: status.startsWith('5') || (status === '' && action === 'failed'),
    ...(diagnostic ? { diagnostic } : {}),
  };
}

/** "Name: value" lines, folded continuation lines joined; names lower-cased. */
function parseFieldBlock(block: string): Map<string, string> {
  const fields = new Map<string, string>();
  let last: string | undefined;
  for (const line of block.split('\n')) {
    if (/^\s/.test(line) && last) {
      fields.set(last, `${fields.get(last) ?? ''} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    fields.set(last, line.slice(colon + 1).trim());
  }
  return fields;
}
