import type { AddressInfo } from 'node:net';
import {
  SMTPServer,
  type SMTPServerAddress,
  type SMTPServerDataStream,
  type SMTPServerSession,
} from 'smtp-server';

export interface EmailEnvelope {
  /** MAIL FROM; '' for the null sender of bounces. */
  from: string;
  /** RCPT TO addresses, lower-cased. */
  to: string[];
}

export interface EmailReceiverOptions {
  port: number;
  /** Interface to listen on; 0.0.0.0 unless given. */
  host?: string;
  /** Addresses mail is accepted for (compared lower-cased). */
  inboxes: readonly string[];
  maxMessageBytes: number;
  /** Resolves once the message is safely stored; only then is DATA answered 250. */
  onMessage: (raw: Buffer, envelope: EmailEnvelope) => Promise<void>;
}

type SmtpReplyError = Error & { responseCode: number };

/** Enhanced status codes (RFC 3463) for the permanent replies onMessage may ask for. */
const ENHANCED: Record<number, string> = { 550: '5.6.0', 552: '5.3.4', 554: '5.3.0' };

function smtpError(responseCode: number, message: string): SmtpReplyError {
  return Object.assign(new Error(message), { responseCode });
}

/**
 * The built-in SMTP receiver: accepts mail for the configured inboxes only, refuses oversize
 * messages with 552, and answers 250 only after onMessage resolved. When it rejects: the 5xx it
 * names (smtpCode) for mail that will never be stored, else 451 so the sender retries later.
 */
export class EmailReceiver {
  private readonly inboxes: ReadonlySet<string>;
  private readonly server: SMTPServer;

  constructor(private readonly options: EmailReceiverOptions) {
    this.inboxes = new Set(options.inboxes.map((a) => a.trim().toLowerCase()));
    this.server = new SMTPServer({
      secure: false,
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      size: options.maxMessageBytes,
      logger: false,
      onRcptTo: (address, _session, callback) => callback(this.checkRecipient(address)),
      onData: (stream, session, callback) => this.receive(stream, session, callback),
    });
  }

  /** Listens and resolves with the bound port (useful with port 0). */
  start(): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.server.once('error', onError);
      this.server.listen(this.options.port, this.options.host ?? '0.0.0.0', () => {
        this.server.off('error', onError);
        resolve((this.server.server.address() as AddressInfo).port);
      });
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private checkRecipient(address: SMTPServerAddress): SmtpReplyError | null {
    const mailbox = address.address.trim().toLowerCase();
    if (this.inboxes.has(mailbox)) return null;
    return smtpError(550, `5.1.1 <${address.address}>: no such inbox here`);
  }

  private receive(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    callback: (err?: Error | null, message?: string) => void,
  ): void {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('error', (err: Error) =>
      callback(smtpError(451, `4.3.0 could not read message: ${err.message}`)),
    );
    stream.once('end', () => {
      if (stream.sizeExceeded) {
        callback(smtpError(552, `5.3.4 message exceeds ${this.options.maxMessageBytes} bytes`));
        return;
      }
      const envelope: EmailEnvelope = {
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
      };
      this.options.onMessage(Buffer.concat(chunks), envelope).then(
        () => callback(null, '2.0.0 message accepted'),
        // A permanent refusal (malformed mail) says so with its own code; anything else is worth a retry.
        (err: { smtpCode?: number; message?: string }) =>
          callback(
            err?.smtpCode && err.smtpCode >= 500
              ? smtpError(
                  err.smtpCode,
                  `${ENHANCED[err.smtpCode] ?? '5.6.0'} ${err.message ?? 'message refused'}`,
                )
              : smtpError(451, '4.3.0 temporary failure storing the message, try again later'),
          ),
      );
    });
  }
}
