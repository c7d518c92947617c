import type { Role } from '../common/names';

/**
 * Who may do what: the one permission table. The HTTP guard and the socket gateways read it; the
 * route-by-role test walks every route of the OpenAPI document as each role and compares with it.
 *
 * - `roles`: 'public' (no login; the route checks its own signature or token), 'authenticated'
 *   (any logged-in role) or the roles allowed (admin is never implied: list it).
 * - `visibility`: what a permitted caller sees of conversation content.
 *   'all': no restriction beyond the roles; 'team': agents only reach conversations of their
 *   teams or assigned to them (supervisors and admins see all); 'none': the route serves no
 *   conversation content.
 */
export type Visibility = 'all' | 'team' | 'none';

export interface Permission {
  roles: 'public' | 'authenticated' | readonly Role[];
  visibility: Visibility;
}

/** Keyed by `METHOD /path` as Fastify registers the route (`/api/v1/conversations/:id`). */
export const ROUTE_PERMISSIONS: Record<string, Permission> = {};

/** Keyed by `/namespace event` (an event a client sends) or `/namespace >event` (one it receives). */
export const SOCKET_PERMISSIONS: Record<string, Permission> = {};
