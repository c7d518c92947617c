import { Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { TokenService } from '../auth/token.service';

const VISITOR_TOKEN_TTL = '365d';

export class VisitorTokenRefused extends Error {}

/** Signed visitor tokens: `{vid}` with type 'visitor', issued on first connect, checked on every reconnect. */
@Injectable()
export class VisitorTokensService {
  constructor(private readonly tokens: TokenService) {}

  issue(): { visitorId: string; visitorToken: string } {
    const visitorId = `v-${randomUUID()}`;
    return {
      visitorId,
      visitorToken: this.tokens.signTyped('visitor', { vid: visitorId }, VISITOR_TOKEN_TTL),
    };
  }

  /** The visitor id of a token; throws VisitorTokenRefused naming why (expired, forged, wrong type). */
  verify(token: unknown): string {
    if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
      throw new VisitorTokenRefused('visitor token refused: not a token');
    }
    let claims: { vid?: unknown };
    try {
      claims = this.tokens.verifyTyped<{ vid?: unknown }>('visitor', token);
    } catch (e) {
      const name = (e as Error).name;
      if (name === 'TokenExpiredError')
        throw new VisitorTokenRefused('visitor token refused: expired');
      throw new VisitorTokenRefused(
        `visitor token refused: ${name === 'JsonWebTokenError' ? 'invalid signature or malformed' : (e as Error).message}`,
      );
    }
    if (typeof claims.vid !== 'string' || !claims.vid)
      throw new VisitorTokenRefused('visitor token refused: no visitor id');
    return claims.vid;
  }
}
