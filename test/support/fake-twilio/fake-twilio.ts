import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import twilio from 'twilio';
import {
  KNOWN_ERROR_MESSAGES,
  rfc2822,
  twilioError,
  twilioSid,
  type TwilioErrorBody,
} from './twilio-shapes';

type FormParams = Record<string, string | string[]>;

export interface FakeTwilioOptions {
  accountSid: string;
  authToken: string;
  /**
   * The hub's public URL (PUBLIC_URL). Callback URLs under it are signed as they are (that is
   * what Twilio signs) but delivered to hubUrl + the rest of the path, when hubUrl is given.
   */
  publicUrl?: string;
  /** Where the hub really listens (e.g. http://127.0.0.1:<port>); defaults to publicUrl. */
  hubUrl?: string;
  /** The port to listen on; any free one when absent. */
  port?: number;
}

export interface FakeTwilioRequest {
  method: string;
  path: string;
  params: FormParams;
  authorization?: string;
  /** The username/password decoded from basic auth. */
  basicAuth?: { username: string; password: string };
  responseStatus: number;
}

export interface FakeTwilioMessage {
  sid: string;
  accountSid: string;
  to: string;
  from?: string;
  messagingServiceSid?: string;
  body?: string;
  mediaUrls: string[];
  statusCallback?: string;
  status: string;
  params: FormParams;
  createdAt: Date;
}

export interface FakeTwilioCall {
  sid: string;
  accountSid: string;
  to: string;
  from: string;
  twiml?: string;
  url?: string;
  statusCallback?: string;
  status: string;
  params: FormParams;
}

export interface CallbackResult {
  url: string;
  status: number;
  body: string;
}

export interface FakeTwilio {
  url: string;
  port: number;
  requests: FakeTwilioRequest[];
  messages: FakeTwilioMessage[];
  calls: FakeTwilioCall[];
  stop(): Promise<void>;
  /** POSTs a signed status callback for a message (or call) to its StatusCallback URL. */
  sendStatusCallback(
    sid: string,
    status: string,
    errorCode?: number | string,
  ): Promise<CallbackResult>;
  /** POSTs signed form params to url, as Twilio posts any webhook. */
  postWebhook(url: string, params: Record<string, string>): Promise<CallbackResult>;
  /** The next Messages/Calls create answers this Twilio error (e.g. 21610, 400). */
  setNextError(code: number, status: number, message?: string): void;
  /**
   * The next Messages create is accepted (recorded, listed) but never answered: the caller
   * waits until its connection closes (a crash between the provider's acceptance and the
   * caller's record of it). Resolves with that message when it arrives. With `from`, the
   * next one sent from that number.
   */
  holdNextMessage(from?: string): Promise<FakeTwilioMessage>;
}

/** The X-Twilio-Signature Twilio would send for a form POST of params to url. */
export function signTwilioRequest(
  authToken: string,
  url: string,
  params: Record<string, unknown>,
): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

function parseForm(raw: string): FormParams {
  const params: FormParams = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const prev = params[key];
    if (prev === undefined) params[key] = value;
    else params[key] = Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return params;
}

function one(params: FormParams, name: string): string | undefined {
  const value = params[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === '' ? undefined : first;
}

function many(params: FormParams, name: string): string[] {
  const value = params[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function decodeBasic(
  header: string | undefined,
): { username: string; password: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

const ROUTE = /^\/2010-04-01\/Accounts\/([^/]+)\/(Messages|Calls)\.json$/;

/** A local stand-in for api.twilio.com's Messages and Calls resources, on 127.0.0.1. */
export async function startFakeTwilio(options: FakeTwilioOptions): Promise<FakeTwilio> {
  const requests: FakeTwilioRequest[] = [];
  const messages: FakeTwilioMessage[] = [];
  const calls: FakeTwilioCall[] = [];
  let nextError: TwilioErrorBody | undefined;
  const holds: Array<{ from?: string; resolve: (message: FakeTwilioMessage) => void }> = [];

  function createMessage(accountSid: string, params: FormParams): [number, unknown] {
    const to = one(params, 'To');
    const from = one(params, 'From');
    const messagingServiceSid = one(params, 'MessagingServiceSid');
    const body = one(params, 'Body');
    const mediaUrls = many(params, 'MediaUrl');
    if (!to) return [400, twilioError(21604, 400, "A 'To' phone number is required.")];
    if (!body && mediaUrls.length === 0 && !one(params, 'ContentSid')) {
      return [400, twilioError(21602, 400, 'Message body is required.')];
    }
    if (!from && !messagingServiceSid) {
      return [400, twilioError(21603, 400, "A 'From' phone number is required.")];
    }
    const now = new Date();
    const message: FakeTwilioMessage = {
      sid: twilioSid('SM'),
      accountSid,
      to,
      from,
      messagingServiceSid,
      body,
      mediaUrls,
      statusCallback: one(params, 'StatusCallback'),
      status: from ? 'queued' : 'accepted',
      params,
      createdAt: now,
    };
    messages.push(message);
    return [201, messageJson(message)];
  }

  function messageJson(message: FakeTwilioMessage): Record<string, unknown> {
    return {
      sid: message.sid,
      account_sid: message.accountSid,
      api_version: '2010-04-01',
      body: message.body ?? '',
      date_created: rfc2822(message.createdAt),
      date_updated: rfc2822(message.createdAt),
      date_sent: null,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: message.from ?? null,
      messaging_service_sid: message.messagingServiceSid ?? null,
      num_media: String(message.mediaUrls.length),
      num_segments: '1',
      price: null,
      price_unit: 'USD',
      status: message.status,
      to: message.to,
      uri: `/2010-04-01/Accounts/${message.accountSid}/Messages/${message.sid}.json`,
      subresource_uris: {
        media: `/2010-04-01/Accounts/${message.accountSid}/Messages/${message.sid}/Media.json`,
      },
    };
  }

  /** GET Messages.json: newest first, filtered by To and From, one page of PageSize. */
  function listMessages(accountSid: string, query: FormParams): [number, unknown] {
    const to = one(query, 'To');
    const from = one(query, 'From');
    const pageSize = Math.min(1000, Number(one(query, 'PageSize') ?? 50));
    const matching = messages
      .filter((m) => m.accountSid === accountSid)
      .filter((m) => (to === undefined || m.to === to) && (from === undefined || m.from === from))
      .reverse()
      .slice(0, pageSize);
    const uri = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
    return [
      200,
      {
        messages: matching.map(messageJson),
        first_page_uri: uri,
        next_page_uri: null,
        previous_page_uri: null,
        page: 0,
        page_size: pageSize,
        start: 0,
        end: Math.max(0, matching.length - 1),
        uri,
      },
    ];
  }

  function createCall(accountSid: string, params: FormParams): [number, unknown] {
    const to = one(params, 'To');
    const from = one(params, 'From');
    const twiml = one(params, 'Twiml');
    const url = one(params, 'Url');
    if (!to) return [400, twilioError(21604, 400, "A 'To' phone number is required.")];
    if (!from) return [400, twilioError(21604, 400, "A 'From' phone number is required.")];
    if (!twiml && !url && !one(params, 'ApplicationSid')) {
      return [
        400,
        twilioError(21604, 400, "Either 'Url', 'Twiml' or 'ApplicationSid' is required."),
      ];
    }
    const now = new Date();
    const call: FakeTwilioCall = {
      sid: twilioSid('CA'),
      accountSid,
      to,
      from,
      twiml,
      url,
      statusCallback: one(params, 'StatusCallback'),
      status: 'queued',
      params,
    };
    calls.push(call);
    return [
      201,
      {
        sid: call.sid,
        account_sid: accountSid,
        api_version: '2010-04-01',
        date_created: rfc2822(now),
        date_updated: rfc2822(now),
        direction: 'outbound-api',
        from,
        from_formatted: from,
        to,
        to_formatted: to,
        status: 'queued',
        duration: null,
        price: null,
        price_unit: 'USD',
        uri: `/2010-04-01/Accounts/${accountSid}/Calls/${call.sid}.json`,
      },
    ];
  }

  function route(
    method: string,
    path: string,
    params: FormParams,
    auth: FakeTwilioRequest['basicAuth'],
  ): [number, unknown] {
    if (!auth || auth.username !== options.accountSid || auth.password !== options.authToken) {
      return [
        401,
        {
          ...twilioError(20003, 401, 'Authenticate'),
          detail: 'Your AccountSid or AuthToken was incorrect.',
        },
      ];
    }
    const match = ROUTE.exec(path);
    const listing = method === 'GET' && match?.[2] === 'Messages';
    if ((method !== 'POST' && !listing) || !match)
      return [404, twilioError(20404, 404, KNOWN_ERROR_MESSAGES[20404]!)];
    const [, accountSid, resource] = match;
    if (accountSid !== options.accountSid)
      return [404, twilioError(20404, 404, KNOWN_ERROR_MESSAGES[20404]!)];
    if (listing) return listMessages(accountSid, params);
    if (nextError) {
      const error = nextError;
      nextError = undefined;
      return [error.status, error];
    }
    return resource === 'Messages'
      ? createMessage(accountSid, params)
      : createCall(accountSid, params);
  }

  const server: Server = createServer((req, res) => {
    readBody(req)
      .then((raw) => {
        const target = new URL(req.url ?? '/', 'http://fake');
        const path = target.pathname;
        const params = req.method === 'GET' ? parseForm(target.search.slice(1)) : parseForm(raw);
        const basicAuth = decodeBasic(req.headers.authorization);
        const created = messages.length;
        const [status, body] = route(req.method ?? 'GET', path, params, basicAuth);
        requests.push({
          method: req.method ?? 'GET',
          path,
          params,
          authorization: req.headers.authorization,
          basicAuth,
          responseStatus: status,
        });
        const message = messages.length > created ? messages[messages.length - 1] : undefined;
        const hold = message && holds.findIndex((h) => !h.from || h.from === message.from);
        if (message && hold !== undefined && hold >= 0) {
          // Accepted, never answered: the caller's socket closes when it dies.
          res.on('error', () => undefined);
          holds.splice(hold, 1)[0].resolve(message);
          return;
        }
        sendJson(res, status, body);
      })
      .catch(() => sendJson(res, 500, twilioError(20500, 500, 'Internal Server Error')));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  function deliveryUrl(signedUrl: string): string {
    const hubUrl = options.hubUrl;
    if (!options.publicUrl || !hubUrl || !signedUrl.startsWith(options.publicUrl)) return signedUrl;
    return (
      hubUrl.replace(/\/+$/, '') + signedUrl.slice(options.publicUrl.replace(/\/+$/, '').length)
    );
  }

  async function postWebhook(url: string, params: Record<string, string>): Promise<CallbackResult> {
    const response = await fetch(deliveryUrl(url), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-Twilio-Signature': signTwilioRequest(options.authToken, url, params),
        'I-Twilio-Idempotency-Token': randomUUID(),
        'User-Agent': 'TwilioProxy/1.1',
      },
      body: new URLSearchParams(params).toString(),
    });
    return { url, status: response.status, body: await response.text() };
  }

  async function sendStatusCallback(
    sid: string,
    status: string,
    errorCode?: number | string,
  ): Promise<CallbackResult> {
    const message = messages.find((m) => m.sid === sid);
    const call = message ? undefined : calls.find((c) => c.sid === sid);
    const target = message ?? call;
    if (!target) throw new Error(`fake twilio: no message or call ${sid}`);
    if (!target.statusCallback)
      throw new Error(`fake twilio: ${sid} was created without StatusCallback`);
    target.status = status;
    const params: Record<string, string> = {
      AccountSid: target.accountSid,
      ApiVersion: '2010-04-01',
      To: target.to,
    };
    if (target.from) params.From = target.from;
    if (message) {
      Object.assign(params, {
        MessageSid: sid,
        SmsSid: sid,
        MessageStatus: status,
        SmsStatus: status,
      });
      if (message.messagingServiceSid) params.MessagingServiceSid = message.messagingServiceSid;
    } else {
      Object.assign(params, { CallSid: sid, CallStatus: status, Direction: 'outbound-api' });
      if (status === 'completed') params.CallDuration = '0';
    }
    if (errorCode !== undefined) params.ErrorCode = String(errorCode);
    return postWebhook(target.statusCallback, params);
  }

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    messages,
    calls,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
    sendStatusCallback,
    postWebhook,
    holdNextMessage(from) {
      return new Promise<FakeTwilioMessage>((resolve) => holds.push({ from, resolve }));
    },
    setNextError(code, status, message) {
      nextError = twilioError(
        code,
        status,
        message ?? KNOWN_ERROR_MESSAGES[code] ?? `Twilio error ${code}`,
      );
    },
  };
}
