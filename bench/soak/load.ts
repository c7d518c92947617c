/**
 * The soak's bounded mixed load: inbound on every channel (Twilio-signed SMS, WhatsApp and voice
 * webhooks, mail to the SMTP receiver, live chat as the widget over socket.io, WeChat through
 * the sandbox), routed sends with idempotency keys, and agents replying in conversations. Each
 * request goes to the next live API process (round robin) and is retried as a provider retries
 * (same MessageSid, Message-ID, idempotency key) on a failure; a reply, which has no key, only
 * when its connection was refused (it never arrived).
 */
import { randomBytes } from 'crypto';
import { createTransport } from 'nodemailer';
import type { Pool } from 'pg';
import { io } from 'socket.io-client';
import { signTwilioRequest } from '../../test/support/fake-twilio';
import type { HubProcess } from './hub-processes';
import { reasonOf, type Stats } from './stats';

export interface TwilioSetup {
  accountSid: string;
  authToken: string;
  from: string;
  whatsappFrom: string;
  publicUrl: string;
}

export interface AcceptedInbound {
  channel: 'sms' | 'whatsapp' | 'voice' | 'email' | 'livechat' | 'wechat';
  /** The provider's id as the hub stores it (MessageSid, CallSid, Message-ID, ...). */
  providerId: string;
}

export interface SendCustomer {
  id: string;
  channel: 'sms' | 'email';
}

export interface LoadResult {
  inbound: AcceptedInbound[];
  /** Ids of the outbound messages the hub accepted (202): sends and replies. */
  outbound: Array<{ id: string; kind: 'send' | 'reply' }>;
  /** Operations given up after retrying, by kind. */
  gaveUp: Record<string, number>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    body: string,
  ) {
    super(`HTTP ${status}: ${body.slice(0, 200)}`);
  }
}

const REQUEST_TIMEOUT_MS = 15_000;
/** How long an operation is retried before it is given up (a provider retries for longer). */
const RETRY_WINDOW_MS = 90_000;
const MAX_IN_FLIGHT = 40;
/** The mix, one operation per tick in this order. */
const MIX = [
  'sms',
  'send',
  'whatsapp',
  'email',
  'send',
  'chat',
  'voice',
  'wechat',
  'sms',
  'send',
  'reply',
  'status',
] as const;
type Kind = (typeof MIX)[number];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Load {
  readonly result: LoadResult = { inbound: [], outbound: [], gaveUp: {} };
  private next = 0;
  private seq = 0;
  private readonly replied = new Set<string>();
  private readonly toReply: string[] = [];
  private readonly statusSent = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly ctx: {
      hubs: HubProcess[];
      token: string;
      run: string;
      twilio: TwilioSetup;
      stats: Stats;
      sendCustomers: SendCustomer[];
      primary: Pool;
      /** Messages the fake Twilio holds, for their status callbacks. */
      providerMessages: () => Array<{ sid: string; to: string; from?: string }>;
    },
  ) {}

  /** The next ready process serving the API, round robin; null while none is. */
  private pick(): HubProcess | null {
    const api = this.ctx.hubs.filter((h) => h.role !== 'worker');
    for (let i = 0; i < api.length; i++) {
      const hub = api[this.next++ % api.length];
      if (hub.ready && hub.daemon.alive) return hub;
    }
    return null;
  }

  /** Runs op against live API processes until it succeeds or retrying is pointless. */
  private async attempt<T>(
    kind: string,
    op: (hub: HubProcess) => Promise<T>,
    retryable: (e: unknown) => boolean = () => true,
  ): Promise<T | null> {
    const giveUpAt = Date.now() + RETRY_WINDOW_MS;
    let backoff = 250;
    for (;;) {
      const hub = this.pick();
      if (hub) {
        const started = Date.now();
        try {
          const r = await op(hub);
          this.ctx.stats.latency(kind, Date.now() - started);
          return r;
        } catch (e) {
          this.ctx.stats.error(kind, e instanceof HttpError ? String(e.status) : reasonOf(e));
          if (!retryable(e) || Date.now() > giveUpAt) {
            this.result.gaveUp[kind] = (this.result.gaveUp[kind] ?? 0) + 1;
            return null;
          }
        }
      } else if (Date.now() > giveUpAt) {
        this.result.gaveUp[kind] = (this.result.gaveUp[kind] ?? 0) + 1;
        return null;
      }
      await sleep(backoff);
      backoff = Math.min(backoff * 2, 4000);
    }
  }

  private async api(
    hub: HubProcess,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Record<string, unknown>> {
    const r = await fetch(hub.url + path, {
      method,
      headers: {
        authorization: `Bearer ${this.ctx.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await r.text();
    if (!r.ok) throw new HttpError(r.status, text);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }

  /** A form POST signed as Twilio signs it, over the public URL the hub validates against. */
  private async twilioWebhook(
    hub: HubProcess,
    path: string,
    params: Record<string, string>,
  ): Promise<void> {
    const signature = signTwilioRequest(
      this.ctx.twilio.authToken,
      this.ctx.twilio.publicUrl + path,
      params,
    );
    const r = await fetch(hub.url + path, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature,
      },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await r.text();
    if (!r.ok) throw new HttpError(r.status, text);
  }

  private phone(prefix: string, n: number): string {
    return `+86${prefix}${String(n).padStart(8, '0')}`;
  }

  private async smsIn(n: number, whatsapp: boolean): Promise<void> {
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const from = this.phone(whatsapp ? '158' : '139', n);
    const { accountSid, from: to, whatsappFrom } = this.ctx.twilio;
    const params = {
      AccountSid: accountSid,
      MessageSid: sid,
      SmsSid: sid,
      From: whatsapp ? `whatsapp:${from}` : from,
      To: whatsapp ? `whatsapp:${whatsappFrom}` : to,
      Body: `soak ${whatsapp ? 'whatsapp' : 'sms'} ${n}: where is my parcel?`,
      NumMedia: '0',
    };
    const kind = whatsapp ? 'whatsapp' : 'sms';
    const ok = await this.attempt(kind, (hub) =>
      this.twilioWebhook(hub, '/webhooks/twilio/sms', params),
    );
    if (ok !== null) this.result.inbound.push({ channel: kind, providerId: sid });
  }

  private async voiceIn(n: number): Promise<void> {
    const sid = `CA${randomBytes(16).toString('hex')}`;
    const params = {
      AccountSid: this.ctx.twilio.accountSid,
      CallSid: sid,
      From: this.phone('137', n),
      To: this.ctx.twilio.from,
      CallStatus: 'ringing',
      Direction: 'inbound',
    };
    const ok = await this.attempt('voice', (hub) =>
      this.twilioWebhook(hub, '/webhooks/twilio/voice', params),
    );
    if (ok !== null) this.result.inbound.push({ channel: 'voice', providerId: sid });
  }

  private async emailIn(n: number): Promise<void> {
    const messageId = `soak-${this.ctx.run}-${n}@customer.test`;
    const from = `soak-${this.ctx.run}-${n}@customer.test`;
    const raw = [
      `From: Soak Customer ${n} <${from}>`,
      'To: support@localhost',
      `Subject: Soak question ${n}`,
      `Message-ID: <${messageId}>`,
      `Date: ${new Date().toUTCString()}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Hello, this is soak mail ${n}.`,
      '',
    ].join('\r\n');
    const ok = await this.attempt('smtp', (hub) =>
      createTransport({
        host: '127.0.0.1',
        port: hub.smtpPort,
        secure: false,
        ignoreTLS: true,
        connectionTimeout: 5000,
        greetingTimeout: 5000,
        socketTimeout: REQUEST_TIMEOUT_MS,
      }).sendMail({ envelope: { from, to: 'support@localhost' }, raw }),
    );
    if (ok !== null) this.result.inbound.push({ channel: 'email', providerId: messageId });
  }

  /** A new widget visitor writes one message; a lost answer is sent again with its client id. */
  private async chatIn(n: number): Promise<void> {
    const state: { token?: string; visitorId?: string } = {};
    const clientMessageId = `soak-${n}`;
    const ok = await this.attempt('chat', async (hub) => {
      const socket = io(`${hub.url}/chat`, {
        auth: state.token ? { visitorToken: state.token } : {},
        transports: ['websocket'],
        reconnection: false,
        timeout: 5000,
        forceNew: true,
      });
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('timeout')), 10_000);
          socket.once('session', (s: { visitorToken?: string; visitorId: string }) => {
            clearTimeout(timer);
            state.token ??= s.visitorToken;
            state.visitorId = s.visitorId;
            resolve();
          });
          socket.once('connect_error', (e) => {
            clearTimeout(timer);
            reject(e);
          });
        });
        const ack = (await socket
          .timeout(REQUEST_TIMEOUT_MS)
          .emitWithAck('message', { text: `soak chat ${n}`, clientMessageId })) as {
          id?: string;
          error?: string;
        };
        if (!ack?.id) throw new Error(ack?.error ?? 'no id in the answer');
      } finally {
        socket.close();
      }
    });
    if (ok !== null && state.visitorId)
      this.result.inbound.push({
        channel: 'livechat',
        providerId: `${state.visitorId}:${clientMessageId}`,
      });
  }

  private async wechatIn(n: number): Promise<void> {
    const id = `wx-soak-${this.ctx.run}-${n}`;
    const ok = await this.attempt('wechat', (hub) =>
      this.api(hub, 'POST', '/api/v1/sandbox/inbound', {
        channel: 'wechat',
        from: `wxid_soak_${this.ctx.run}_${n}`,
        text: `soak wechat ${n}`,
        id,
      }),
    );
    if (ok !== null) this.result.inbound.push({ channel: 'wechat', providerId: id });
  }

  private async send(): Promise<void> {
    const n = this.seq++;
    const customer = this.ctx.sendCustomers[n];
    if (!customer) return;
    const body = {
      customerId: customer.id,
      topic: 'orders',
      urgency: 'high',
      purpose: 'transactional',
      template: 'order-shipped',
      idempotencyKey: `soak-${this.ctx.run}-send-${n}`,
      data: {
        order: {
          id: `SOAK-${n}`,
          carrier: 'SF',
          trackingUrl: `https://t.example/SOAK-${n}`,
          total: 1,
          currency: 'CNY',
          shippedAt: '2025-03-10T04:00:00Z',
        },
      },
    };
    const r = await this.attempt('send', (hub) => this.api(hub, 'POST', '/api/v1/messages', body));
    if (r?.messageId) this.result.outbound.push({ id: r.messageId as string, kind: 'send' });
  }

  /** Conversations with an inbound message the agents have not answered yet (fed by findConversations). */
  async findConversations(): Promise<void> {
    const rows = (
      await this.ctx.primary.query<{ conversation_id: string }>(
        `SELECT DISTINCT conversation_id FROM messages
         WHERE direction = 'inbound' AND kind = 'message' AND conversation_id IS NOT NULL
           AND channel IN ('sms', 'whatsapp', 'email', 'wechat', 'livechat')
         LIMIT 500`,
      )
    ).rows;
    for (const r of rows)
      if (!this.replied.has(r.conversation_id) && !this.toReply.includes(r.conversation_id))
        this.toReply.push(r.conversation_id);
  }

  private async reply(): Promise<void> {
    const conversationId = this.toReply.shift();
    if (!conversationId) return;
    this.replied.add(conversationId);
    // No idempotency key on replies: sent again only when it never reached a process.
    const r = await this.attempt(
      'reply',
      (hub) =>
        this.api(hub, 'POST', `/api/v1/conversations/${conversationId}/replies`, {
          text: 'Thanks for writing; your parcel is on its way.',
        }),
      (e) => reasonOf(e) === 'ECONNREFUSED',
    );
    const id = r?.messageId as string | undefined;
    if (id) this.result.outbound.push({ id, kind: 'reply' });
  }

  /** Twilio's "delivered" callback for each message the fake provider accepted, once. */
  private async statusCallbacks(): Promise<void> {
    const fresh = this.ctx.providerMessages().filter((m) => !this.statusSent.has(m.sid));
    await Promise.all(
      fresh.slice(0, 20).map((m) => {
        this.statusSent.add(m.sid);
        const params: Record<string, string> = {
          AccountSid: this.ctx.twilio.accountSid,
          MessageSid: m.sid,
          SmsSid: m.sid,
          MessageStatus: 'delivered',
          SmsStatus: 'delivered',
          To: m.to,
          ...(m.from ? { From: m.from } : {}),
        };
        return this.attempt('status', (hub) =>
          this.twilioWebhook(hub, '/webhooks/twilio/status', params),
        );
      }),
    );
  }

  private launch(kind: Kind, n: number): Promise<void> {
    switch (kind) {
      case 'sms':
        return this.smsIn(n, false);
      case 'whatsapp':
        return this.smsIn(n, true);
      case 'voice':
        return this.voiceIn(n);
      case 'email':
        return this.emailIn(n);
      case 'chat':
        return this.chatIn(n);
      case 'wechat':
        return this.wechatIn(n);
      case 'send':
        return this.send();
      case 'reply':
        return this.reply();
      case 'status':
        return this.statusCallbacks();
    }
  }

  /** ratePerSecond operations a second for seconds; resolves when the last one settled. */
  async run(seconds: number, ratePerSecond: number): Promise<void> {
    const end = Date.now() + seconds * 1000;
    const gap = 1000 / ratePerSecond;
    let tick = 0;
    let lastScan = 0;
    while (Date.now() < end) {
      if (Date.now() - lastScan > 2000) {
        lastScan = Date.now();
        await this.findConversations().catch(() => undefined);
      }
      const kind = MIX[tick % MIX.length];
      if (this.inFlight.size < MAX_IN_FLIGHT) {
        const p: Promise<void> = this.launch(kind, tick)
          .catch((e: unknown) => this.ctx.stats.error(kind, `load: ${reasonOf(e)}`))
          .finally(() => this.inFlight.delete(p));
        this.inFlight.add(p);
      } else {
        this.ctx.stats.error(kind, 'skipped: too many in flight');
      }
      tick++;
      await sleep(gap);
    }
    await Promise.all(this.inFlight);
  }

  /** Status callbacks for what the provider took after the load stopped (the drain). */
  async finishStatusCallbacks(): Promise<void> {
    await this.statusCallbacks();
  }
}
