/**
 * The providers the hub sends to, inside the soak's own process so every send is counted:
 * the fake Twilio REST API (test/support/fake-twilio) and an SMTP sink counting each mail by
 * its Message-ID (the hub mints <messageId@domain>).
 */
import { SMTPServer } from 'smtp-server';
import { startFakeTwilio, type FakeTwilio } from '../../test/support/fake-twilio';

export interface SmtpSink {
  port: number;
  /** Mails received per Message-ID (without brackets). */
  byMessageId: Map<string, number>;
  total(): number;
  stop(): Promise<void>;
}

export async function startSmtpSink(port: number): Promise<SmtpSink> {
  const byMessageId = new Map<string, number>();
  let total = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 30 * 1024 * 1024,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const headers = raw.split(/\r?\n\r?\n/, 1)[0];
        const id = /^message-id:\s*<([^>]+)>/im.exec(headers)?.[1] ?? `(none ${total})`;
        byMessageId.set(id, (byMessageId.get(id) ?? 0) + 1);
        total++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  // A sender killed mid-session (the soak kills the worker) resets its connection: expected, and
  // never an unhandled 'error' that would end the soak's own process.
  server.on('error', () => undefined);
  return {
    port,
    byMessageId,
    total: () => total,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function startTwilio(
  accountSid: string,
  authToken: string,
  port: number,
): Promise<FakeTwilio> {
  return startFakeTwilio({ accountSid, authToken, port });
}
