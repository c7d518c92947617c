import twilio from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';

/** Only the parts of the SDK client the adapters use; tests may pass a stand-in. */
export type TwilioClient = twilio.Twilio;

export interface TwilioClientOptions {
  accountSid: string;
  authToken: string;
  /** TWILIO_API_BASE_URL: send every REST call here instead of *.twilio.com (proxy, test double). */
  apiBaseUrl?: string;
  /** Request timeout in milliseconds (SDK default 30 s). */
  timeout?: number;
}

/** Rewrites https://<anything>.twilio.com/<path> to <apiBaseUrl>/<path>; other URLs pass through. */
export function rewriteTwilioUri(uri: string, apiBaseUrl: string): string {
  const target = new URL(uri);
  if (target.hostname !== 'twilio.com' && !target.hostname.endsWith('.twilio.com')) return uri;
  const base = new URL(apiBaseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  return `${base.protocol}//${base.host}${basePath}${target.pathname}${target.search}`;
}

/** The SDK's own HTTP client, with every Twilio host redirected to apiBaseUrl. */
class RedirectingRequestClient extends RequestClient {
  constructor(
    private readonly apiBaseUrl: string,
    opts: RequestClient.RequestClientOptions,
  ) {
    super(opts);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    return super.request<TData>({ ...opts, uri: rewriteTwilioUri(opts.uri, this.apiBaseUrl) });
  }
}

/** A real twilio SDK client; with apiBaseUrl set, nothing goes to Twilio's own hosts. */
export function createTwilioClient(options: TwilioClientOptions): TwilioClient {
  const httpClient = options.apiBaseUrl
    ? new RedirectingRequestClient(options.apiBaseUrl, {
        timeout: options.timeout,
        keepAlive: false,
      })
    : undefined;
  return twilio(options.accountSid, options.authToken, {
    httpClient,
    timeout: options.timeout,
    autoRetry: false,
  });
}
