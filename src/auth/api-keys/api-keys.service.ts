import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'crypto';
import { AuditService } from '../../audit/audit.service';
import { DomainError } from '../../common/errors/domain-error';
import type { Role } from '../../common/names';
import type { AuthUser } from '../auth.decorators';
import { scopeVerdict } from './api-key-scopes';
import { ApiKeyThrottle } from './api-key-throttle';
import { ApiKeysRepository, type ApiKeyRecord } from './api-keys.repository';

/** Every key starts so: the guard tells a key from a session token without trying both. */
export const API_KEY_PREFIX = 'hub_';

const hashOf = (key: string) => createHash('sha256').update(key).digest('hex');
const refused = (why: string) => new DomainError('unauthorized', `API key refused: ${why}`);

export interface NewKeyRequest {
  name: string;
  scopes: string[];
  role?: Role;
  expiresAt?: string;
}

/** A request made with an API key: who it acts for and what it may reach. */
export interface KeyUse {
  routeKey: string;
  method: string;
  url: string;
  ip: string;
}

/**
 * API keys of service integrations. A key acts for the admin who created it (its audit entries,
 * the author of what it writes), within its scopes and, when it has one, its role; it stops with
 * its revocation, its expiry or the deactivation of that admin.
 */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly throttle: ApiKeyThrottle,
    private readonly audit: AuditService,
  ) {}

  /** The new key, shown this once: only its hash is kept. */
  async create(body: NewKeyRequest, creator: AuthUser): Promise<ApiKeyRecord & { key: string }> {
    const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now())
      throw new DomainError('bad_request', 'expiresAt: must be in the future');
    const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const record = await this.keys.insert({
      name: body.name,
      prefix: key.slice(0, API_KEY_PREFIX.length + 6),
      hash: hashOf(key),
      scopes: [...new Set(body.scopes)].sort(),
      role: body.role ?? null,
      expiresAt,
      createdBy: creator.id,
    });
    await this.audit.record({
      actorId: creator.id,
      action: 'api_key.create',
      entityType: 'api_key',
      entityId: record.id,
      details: { name: record.name, scopes: record.scopes, role: record.role },
    });
    return { ...record, key };
  }

  list(): Promise<ApiKeyRecord[]> {
    return this.keys.list();
  }

  async revoke(id: string, by: AuthUser): Promise<void> {
    const outcome = await this.keys.revoke(id);
    if (outcome === 'missing') throw new DomainError('not_found', `API key ${id} not found`);
    if (outcome === 'already') return;
    await this.audit.record({
      actorId: by.id,
      action: 'api_key.revoke',
      entityType: 'api_key',
      entityId: id,
      details: { name: outcome.name },
    });
  }

  /**
   * The user a key stands for on this route: 401 for an unknown, revoked or expired key or a
   * deactivated owner, 403 naming the scope the route needs, 429 past the key's rate. Each use
   * is audited (route, client address).
   */
  async authenticate(key: string, use: KeyUse): Promise<AuthUser> {
    const found = await this.keys.byHash(hashOf(key));
    if (!found) throw refused('unknown key');
    if (found.revokedAt) throw refused(`key "${found.name}" was revoked`);
    if (found.expiresAt && found.expiresAt.getTime() <= Date.now())
      throw refused(`key "${found.name}" expired at ${found.expiresAt.toISOString()}`);
    if (!found.ownerActive)
      throw refused(`the admin who created key "${found.name}" is deactivated`);
    const verdict = scopeVerdict(found.scopes, use.routeKey);
    if (!verdict.ok) throw new DomainError('forbidden', verdict.reason);
    await this.throttle.take(found.id, found.name);
    await Promise.all([
      this.keys.touch(found.id),
      this.audit.record({
        actorId: found.createdBy,
        action: 'api_key.use',
        entityType: 'api_key',
        entityId: found.id,
        details: { route: use.routeKey, url: use.url.slice(0, 500), ip: use.ip },
      }),
    ]);
    return {
      id: found.createdBy,
      email: found.ownerEmail,
      name: `API key: ${found.name}`,
      // No role of its own: the scopes are the whole authority, so the role check stands aside.
      role: found.role ?? 'admin',
      apiKey: {
        id: found.id,
        name: found.name,
        scopes: found.scopes,
        hasRole: found.role !== null,
      },
    };
  }
}
