import { Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { verifyTwilioSignature } from '../../channel-adapters/twilio-common';
import type { InboundRequest } from '../channels/channel-port';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';

export type TwilioRequest = FastifyRequest & { rawBody?: Buffer };

/**
 * X-Twilio-Signature for every Twilio webhook, checked with the SDK against PUBLIC_URL + the
 * path and query Twilio called (the URL it signed), over every form parameter received.
 */
@Injectable()
export class TwilioWebhookAuth {
  private readonly log = new Logger('TwilioWebhook');

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  /** The verified request; 503 when Twilio is not configured, 403 (logged, counted) on a bad signature. */
  verify(req: TwilioRequest, source: string): InboundRequest {
    const token = this.config.env.TWILIO_AUTH_TOKEN;
    if (!this.config.twilioConfigured || !token) {
      throw new DomainError(
        'unavailable',
        'Twilio is not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN)',
      );
    }
    const body = isRecord(req.body) ? req.body : {};
    const request: InboundRequest = {
      url: this.config.publicUrl + req.originalUrl,
      method: req.method,
      headers: req.headers,
      body,
      rawBody: req.rawBody,
    };
    if (!verifyTwilioSignature(token, request.url, request.headers, body, req.rawBody)) {
      const reason = req.headers['x-twilio-signature'] ? 'bad_signature' : 'missing_signature';
      this.metrics.webhookRejections.inc({ source, reason });
      this.log.warn(
        `refused ${source} webhook ${req.originalUrl} from ${req.ip ?? 'unknown'}: ${reason}`,
      );
      throw new DomainError(
        'forbidden',
        'X-Twilio-Signature: missing or does not match the request',
      );
    }
    return request;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value)
  );
}

/** 400 naming the first missing form field. */
export function requireFields(body: Record<string, unknown>, names: string[]): void {
  for (const name of names) {
    const v = body[name];
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) {
      throw new DomainError('bad_request', `${name}: required`);
    }
  }
}
