/**
 * What an API key may reach: scopes `<resource>:read|write` (API.md, Integrations). A route
 * belongs to the resource its path names; GET reads, every other method writes, and a write
 * scope also reads its resource. Routes of no resource (users, teams, settings, the keys
 * themselves, sessions) are for people only: no key reaches them, whatever its scopes.
 */
import { z } from 'zod';

export const API_KEY_RESOURCES = [
  'customers',
  'conversations',
  'messages',
  'templates',
  'campaigns',
  'analytics',
  'webhooks',
] as const;
export type ApiKeyResource = (typeof API_KEY_RESOURCES)[number];

export const API_KEY_SCOPES = API_KEY_RESOURCES.flatMap(
  (r) => [`${r}:read`, `${r}:write`] as const,
);
export const apiKeyScopeSchema = z.enum(API_KEY_SCOPES as [string, ...string[]], {
  error: `a scope is <resource>:read or <resource>:write, resource one of ${API_KEY_RESOURCES.join(', ')}`,
});

/** The first path segment after /api/v1/ -> the resource it belongs to. */
const RESOURCE_OF_SEGMENT: Record<string, ApiKeyResource> = {
  customers: 'customers',
  contacts: 'customers',
  'contacts.csv': 'customers',
  conversations: 'conversations',
  'canned-responses': 'conversations',
  'email-inboxes': 'conversations',
  attachments: 'conversations',
  messages: 'messages',
  routing: 'messages',
  templates: 'templates',
  campaigns: 'campaigns',
  segments: 'campaigns',
  conversions: 'analytics',
  analytics: 'analytics',
  webhooks: 'webhooks',
};

export interface RouteScope {
  resource: ApiKeyResource;
  action: 'read' | 'write';
}

/** `GET /api/v1/customers/:id` -> customers:read; null for a route no key reaches. */
export function scopeOfRoute(routeKey: string): RouteScope | null {
  const [method, path] = routeKey.split(' ');
  const m = /^\/api\/v1\/([^/]+)/.exec(path ?? '');
  if (!m) return null;
  const resource = RESOURCE_OF_SEGMENT[m[1]];
  if (!resource) return null;
  return { resource, action: method === 'GET' || method === 'HEAD' ? 'read' : 'write' };
}

/** Whether scopes held reach the route; the refusal names the scope it needs. */
export function scopeVerdict(
  scopes: readonly string[],
  routeKey: string,
): { ok: true } | { ok: false; reason: string } {
  const needed = scopeOfRoute(routeKey);
  if (!needed) return { ok: false, reason: `${routeKey} is not open to API keys` };
  const write = `${needed.resource}:write`;
  if (scopes.includes(write)) return { ok: true };
  if (needed.action === 'read' && scopes.includes(`${needed.resource}:read`)) return { ok: true };
  return {
    ok: false,
    reason: `${routeKey} needs the API key scope ${needed.action === 'read' ? `${needed.resource}:read or ` : ''}${write}`,
  };
}
