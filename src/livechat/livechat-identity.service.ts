import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../common/errors/domain-error';
import { CustomersService } from '../customers/customers.service';
import { parseIdentify, parseVerify, type Claimed } from './identify-input';
import { IdentityClaimsRepository } from './identity-claims.repository';
import { identityHashValid } from './identity-proof';
import { LivechatService } from './livechat.service';
import { VerificationCodesService, type CodeSent } from './verification-codes.service';

const DEFAULT_NAME = 'Chat visitor';

export type IdentifyAnswer =
  | { customerId: string; verified: true }
  | { customerId: string; verified: false; verification?: CodeSent };

/**
 * Who a chat visitor is (API.md "Trust"). A claim (`identify`) links the visitor to the
 * customer holding that identity only when proven: by a valid identity hash, or by the
 * one-time code sent to the address (`verify`). Until then the visitor stays its own customer
 * and the claim is recorded unverified, for agents to see.
 */
@Injectable()
export class LivechatIdentityService {
  private readonly log = new Logger('LivechatIdentity');

  constructor(
    private readonly chat: LivechatService,
    private readonly customers: CustomersService,
    private readonly claims: IdentityClaimsRepository,
    private readonly codes: VerificationCodesService,
    private readonly config: AppConfig,
  ) {}

  async identify(visitorId: string, body: unknown): Promise<IdentifyAnswer> {
    const input = parseIdentify(body);
    const own = await this.ensureCustomer(visitorId, input.name);
    const primary = input.primary;
    if (!primary) return { customerId: own, verified: false };

    const secret = this.config.env.LIVECHAT_IDENTITY_SECRET;
    if (identityHashValid(secret, primary.address, input.identityHash)) {
      const linked = await this.link(visitorId, own, primary);
      const claim = await this.claims.record({
        visitorId,
        customerId: own,
        kind: primary.kind,
        address: primary.address,
        name: input.name ?? null,
      });
      await this.claims.markVerified(claim.id, linked);
      // What the hash does not sign stays a claim, shown to agents as unverified.
      for (const other of input.claims.slice(1))
        await this.record(visitorId, linked, other, input.name);
      await this.nameIfDefault(linked, input.name);
      return { customerId: linked, verified: true };
    }
    if (input.identityHash !== undefined) {
      this.log.warn(`identify: identity hash refused for visitor ${visitorId} (${primary.kind})`);
    }

    // Already proven earlier (a returning visitor): nothing to send.
    if ((await this.claims.identityOwner(primary.identity.kind, primary.identity.address)) === own)
      return { customerId: own, verified: true };

    await this.nameIfDefault(own, input.name);
    let verification: CodeSent | undefined;
    for (const claimed of input.claims) {
      const claim = await this.record(visitorId, own, claimed, input.name);
      if (verification === undefined && claimed.kind !== 'external')
        verification = await this.codes.send(claim, claimed, input.locale);
    }
    return { customerId: own, verified: false, ...(verification ? { verification } : {}) };
  }

  /** A right code links the visitor to the customer holding the claimed address. */
  async verify(visitorId: string, body: unknown): Promise<{ customerId: string; verified: true }> {
    const code = parseVerify(body);
    const claim = await this.codes.check(visitorId, code);
    const own = await this.ensureCustomer(visitorId, undefined);
    const claimed: Claimed =
      claim.kind === 'email'
        ? {
            kind: 'email',
            address: claim.address,
            identity: { kind: 'email', channel: 'email', address: claim.address },
          }
        : {
            kind: 'phone',
            address: claim.address,
            identity: { kind: 'phone', channel: 'sms', address: claim.address },
          };
    const linked = await this.link(visitorId, own, claimed);
    await this.claims.markVerified(claim.id, linked);
    await this.nameIfDefault(linked, claim.claimed_name ?? undefined);
    return { customerId: linked, verified: true };
  }

  private record(
    visitorId: string,
    customerId: string,
    claimed: Claimed,
    name: string | undefined,
  ) {
    return this.claims.record({
      visitorId,
      customerId,
      kind: claimed.kind,
      address: claimed.address,
      name: name ?? null,
    });
  }

  /**
   * Joins the visitor to the holder of a proven identity. An anonymous visitor's customer (no
   * identity but this visitor's) is merged into the holder, its chat coming along; a visitor
   * already known as someone else moves alone, leaving that customer's history where it is.
   * Nobody holds it: the identity becomes the visitor's customer's.
   */
  private async link(visitorId: string, own: string, claimed: Claimed): Promise<string> {
    const { identity } = claimed;
    let holder = await this.claims.identityOwner(identity.kind, identity.address);
    if (holder === own) return own;
    if (!holder) {
      try {
        await this.customers.update(own, {
          identities: [{ channel: identity.channel, address: identity.address }],
        });
        return own;
      } catch (e) {
        if (!(e instanceof DomainError && e.code === 'conflict')) throw e;
        holder = await this.claims.identityOwner(identity.kind, identity.address);
        if (!holder) throw e;
      }
    }
    const current = await this.customers.get(own);
    const anonymous = current.identities.every(
      (i) => i.kind === 'livechat' && i.address === visitorId,
    );
    if (anonymous) await this.customers.merge(holder, own, null);
    else await this.claims.moveVisitor(visitorId, holder);
    return holder;
  }

  /** The visitor's customer, made now (with the name, if given) when it has none yet. */
  private async ensureCustomer(visitorId: string, name: string | undefined): Promise<string> {
    const existing = await this.chat.customerOf(visitorId);
    if (existing) return existing;
    try {
      return (
        await this.customers.create({
          displayName: name ?? DEFAULT_NAME,
          identities: [{ channel: 'livechat', address: visitorId }],
        })
      ).id;
    } catch (e) {
      // The visitor's first message made it meanwhile.
      if (!(e instanceof DomainError && e.code === 'conflict')) throw e;
      const made = await this.chat.customerOf(visitorId);
      if (!made) throw e;
      return made;
    }
  }

  private async nameIfDefault(customerId: string, name: string | undefined): Promise<void> {
    if (!name) return;
    const current = await this.customers.get(customerId);
    const placeholder =
      current.displayName === DEFAULT_NAME ||
      current.displayName.startsWith('v-') ||
      current.identities.some((i) => i.address === current.displayName);
    if (placeholder) await this.customers.update(customerId, { displayName: name });
  }
}
