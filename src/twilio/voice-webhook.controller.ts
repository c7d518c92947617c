import { Controller, Header, HttpCode, Post, Req } from '@nestjs/common';
import { ApiConsumes, ApiTags, ApiOperation } from '@nestjs/swagger';
import { field } from '../../channel-adapters/twilio-common';
import {
  gatherAckTwiml,
  inboundCallTwiml,
  parseCallStatus,
  parseGatherStatus,
  voicemailDoneTwiml,
} from '../../channel-adapters/voice';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { inBusinessHours } from './business-hours';
import { TwilioStatusService } from './twilio-status.service';
import { VoiceCallsService } from './voice-calls.service';
import { VoiceGreeting } from './voice-greeting';
import { requireFields, TwilioWebhookAuth } from './twilio-webhook-auth.service';

/** Declared here, not imported: decorator metadata needs a value-free type. */
type TwilioRequest = FastifyRequest & { rawBody?: Buffer };

const EMPTY_TWIML = '<Response/>';

/**
 * Voice webhooks: POST /webhooks/twilio/voice answers a call (greeting, business-hours aware,
 * then voicemail); /voice/recording, /voice/transcription and /voice/status merge into the call's
 * timeline item; /voice/gather is the key press confirming an outbound notice call (read).
 */
@ApiTags('webhooks')
@Controller('webhooks/twilio/voice')
export class VoiceWebhookController {
  private readonly greeting = new VoiceGreeting();

  constructor(
    private readonly auth: TwilioWebhookAuth,
    private readonly calls: VoiceCallsService,
    private readonly statuses: TwilioStatusService,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Twilio incoming call: answers with TwiML' })
  @HttpCode(200)
  @Header('Content-Type', 'text/xml; charset=utf-8')
  @ApiConsumes('application/x-www-form-urlencoded')
  async call(@Req() req: TwilioRequest): Promise<string> {
    const { body } = this.auth.verify(req, 'twilio-voice');
    requireFields(body, ['CallSid', 'From']);
    const { locale } = await this.calls.incomingCall(body);
    const base = `${this.config.publicUrl}/webhooks/twilio/voice`;
    return inboundCallTwiml({
      greeting: this.greeting.render(locale),
      locale,
      inBusinessHours: inBusinessHours(
        this.config.env.BUSINESS_HOURS,
        this.config.env.BUSINESS_TIMEZONE,
      ),
      recordingActionUrl: `${base}/recording`,
      recordingStatusCallbackUrl: `${base}/recording`,
      transcribeCallbackUrl: `${base}/transcription`,
    });
  }

  /** Both the <Record> action and its recordingStatusCallback: merged idempotently. */
  @Post('recording')
  @ApiOperation({ summary: 'Twilio recording callback: lands on the timeline' })
  @HttpCode(200)
  @Header('Content-Type', 'text/xml; charset=utf-8')
  async recording(@Req() req: TwilioRequest): Promise<string> {
    const { body } = this.auth.verify(req, 'twilio-voice');
    requireFields(body, ['CallSid']);
    if (field(body, 'RecordingUrl')) await this.calls.callback('recording', body);
    return voicemailDoneTwiml();
  }

  @Post('transcription')
  @ApiOperation({ summary: 'Twilio transcription callback: lands on the timeline' })
  @HttpCode(200)
  @Header('Content-Type', 'text/xml; charset=utf-8')
  async transcription(@Req() req: TwilioRequest): Promise<string> {
    const { body } = this.auth.verify(req, 'twilio-voice');
    requireFields(body, ['CallSid', 'TranscriptionStatus']);
    await this.calls.callback('transcription', body);
    return EMPTY_TWIML;
  }

  /** Call status: an outbound notice call's delivery status, else the inbound call item. */
  @Post('status')
  @ApiOperation({ summary: 'Twilio call status callback' })
  @HttpCode(200)
  @Header('Content-Type', 'text/xml; charset=utf-8')
  async status(@Req() req: TwilioRequest): Promise<string> {
    const request = this.auth.verify(req, 'twilio-voice');
    requireFields(request.body, ['CallSid', 'CallStatus']);
    const update = parseCallStatus(request);
    const applied = update
      ? await this.statuses.applyNow({
          channel: 'voice',
          update,
          providerStatus: field(request.body, 'CallStatus'),
        })
      : null;
    if (!applied) await this.calls.callback('status', request.body);
    return EMPTY_TWIML;
  }

  @Post('gather')
  @ApiOperation({ summary: 'Twilio keypad/speech input of a call: answers with TwiML' })
  @HttpCode(200)
  @Header('Content-Type', 'text/xml; charset=utf-8')
  async gather(@Req() req: TwilioRequest): Promise<string> {
    const request = this.auth.verify(req, 'twilio-voice');
    requireFields(request.body, ['CallSid']);
    const read = parseGatherStatus(request);
    if (!read) throw new DomainError('bad_request', 'Digits: required (the key pressed)');
    await this.statuses.handle({ channel: 'voice', update: read, providerStatus: 'gathered' });
    return gatherAckTwiml();
  }
}
