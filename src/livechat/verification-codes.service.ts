import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'crypto';
import { DomainError } from '../common/errors/domain-error';
import { CustomersService } from '../customers/customers.service';
import { MessagesService } from '../messages/messages.service';
import { SettingsService } from '../settings/settings.service';
import { ChatRefused } from './chat-refused';
import type { Claimed } from './identify-input';
import { IdentityClaimsRepository, type ClaimRow } from './identity-claims.repository';
import {
  CODE_MAX_ATTEMPTS,
  CODE_TTL_MS,
  codeHash,
  codeMatches,
  maskAddress,
  newCode,
} from './identity-proof';
import { ChatLimiters, type KeyedLimiter } from './rate-limit';

export const VERIFICATION_TEMPLATE = 'livechat-verification';

/** What identify answers about the code: where it went, or why none was sent. */
export type CodeSent =
  { channel: 'email' | 'sms'; to: string; expiresInSeconds: number } | { error: string };

/**
 * One-time codes proving a claimed e-mail or phone: sent through the routing engine (a
 * transactional send of template livechat-verification, forced onto the address's channel) to
 * the customer holding the address, or to a customer made for the address when nobody does.
 * Only an HMAC of the code is kept; codes are never logged.
 */
@Injectable()
export class VerificationCodesService {
  private readonly log = new Logger('LivechatVerification');
  private key: string | null = null;
  /** Codes sent per address and per visitor: a claim cannot be used to bomb an inbox. */
  private readonly perAddress: KeyedLimiter;
  private readonly perVisitor: KeyedLimiter;

  constructor(
    private readonly claims: IdentityClaimsRepository,
    private readonly customers: CustomersService,
    private readonly messages: MessagesService,
    private readonly settings: SettingsService,
    limiters: ChatLimiters,
  ) {
    this.perAddress = limiters.create({ name: 'code-address', points: 3, seconds: 15 * 60 });
    this.perVisitor = limiters.create({ name: 'code-visitor', points: 10, seconds: 60 * 60 });
  }

  /** Sends a fresh code for the claim (replacing any earlier one). */
  async send(
    claim: ClaimRow,
    claimed: Claimed,
    locale: 'en' | 'zh-CN' | undefined,
  ): Promise<CodeSent> {
    if (claimed.kind === 'external') return { error: 'an external id cannot be proven by a code' };
    const channel = claimed.kind === 'email' ? 'email' : 'sms';
    const waitAddress = await this.perAddress.take(`${claimed.kind}:${claimed.address}`);
    const waitVisitor = waitAddress === null ? await this.perVisitor.take(claim.visitor_id) : null;
    const wait = waitAddress ?? waitVisitor;
    if (wait !== null) return { error: `verify: too many codes asked for, try again in ${wait} s` };
    const ownerId = await this.holderOf(claimed, locale);
    const code = newCode();
    await this.claims.storeCode(
      claim.id,
      ownerId,
      codeHash(await this.codeKey(), claim.id, code),
      new Date(Date.now() + CODE_TTL_MS),
    );
    try {
      await this.messages.send(
        {
          customerId: ownerId,
          topic: VERIFICATION_TEMPLATE,
          urgency: 'critical',
          purpose: 'transactional',
          template: VERIFICATION_TEMPLATE,
          channel,
          data: { code, minutes: CODE_TTL_MS / 60_000 },
        },
        null,
      );
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      this.log.warn(`no verification code sent for claim ${claim.id}: ${e.code}`);
      return { error: `verify: no code could be sent to that ${claimed.kind}` };
    }
    return {
      channel,
      to: maskAddress(claimed.kind, claimed.address),
      expiresInSeconds: CODE_TTL_MS / 1000,
    };
  }

  /**
   * Checks a code against the visitor's pending claim: the claim when right, else ChatRefused
   * naming the problem. An attempt is used up before the comparison.
   */
  async check(visitorId: string, code: string): Promise<ClaimRow> {
    const claim = await this.claims.pendingCode(visitorId);
    if (!claim) throw new ChatRefused('verify: no code is pending, identify first');
    if (!claim.code_expires_at || new Date(claim.code_expires_at).getTime() < Date.now())
      throw new ChatRefused('verify: code: expired, identify again for a new one');
    const attempts = await this.claims.takeAttempt(claim.id, CODE_MAX_ATTEMPTS);
    if (attempts === null)
      throw new ChatRefused('verify: code: too many wrong attempts, identify again for a new code');
    if (!codeMatches(await this.codeKey(), claim.id, code, claim.code_hash!)) {
      const left = CODE_MAX_ATTEMPTS - attempts;
      throw new ChatRefused(
        left > 0
          ? `verify: code: wrong code, ${left} attempt${left === 1 ? '' : 's'} left`
          : 'verify: code: wrong code, no attempts left, identify again for a new code',
      );
    }
    return claim;
  }

  /** The customer holding the address; one is made for the address when nobody holds it. */
  private async holderOf(claimed: Claimed, locale: 'en' | 'zh-CN' | undefined): Promise<string> {
    const owner = await this.claims.identityOwner(claimed.identity.kind, claimed.identity.address);
    if (owner) return owner;
    try {
      const made = await this.customers.create({
        displayName: claimed.address,
        locale: locale ?? 'en',
        identities: [{ channel: claimed.identity.channel, address: claimed.identity.address }],
      });
      return made.id;
    } catch (e) {
      // Someone took the address meanwhile: the code goes to them.
      if (
        e instanceof DomainError &&
        e.code === 'conflict' &&
        typeof e.details?.customerId === 'string'
      )
        return e.details.customerId;
      throw e;
    }
  }

  private async codeKey(): Promise<string> {
    this.key ??= await this.settings.getOrCreate('livechat_code_key', () =>
      randomBytes(32).toString('base64url'),
    );
    return this.key;
  }
}
