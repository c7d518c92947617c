import { Writable } from 'stream';
import pino from 'pino';
import { REDACT_PATHS, redactText } from '../../../src/common/logging/redact';

describe(redactText.name, () => {
  it('masks e-mail addresses and phone numbers in free text', () => {
    expect(redactText('mail from Li.Wei@example.com to support@localhost')).toBe(
      'mail from [email] to [email]',
    );
    expect(redactText('sms from +86 138 0013 8000 ok')).toBe('sms from [phone] ok');
  });

  it('leaves ids, versions and migration names alone', () => {
    expect(redactText('migration Foundation1763900000000 ran')).toBe(
      'migration Foundation1763900000000 ran',
    );
    expect(redactText('job 3f2b1c9e-0d7a-4e1b-9f11-2a3b4c5d6e7f attempt 2')).toContain('3f2b1c9e');
  });

  it('drops message text and addresses from structured log fields', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write: (chunk: Buffer, _e, cb) => (lines.push(chunk.toString()), cb()),
    });
    const log = pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, sink);
    log.info(
      { message: { text: 'my card is 4111', from: '+8613800138000', channel: 'sms' } },
      'ingested',
    );
    const out = JSON.parse(lines[0]) as { message: Record<string, string> };
    expect(out.message.text).toBe('[redacted]');
    expect(out.message.from).toBe('[redacted]');
    expect(out.message.channel).toBe('sms');
  });
});
