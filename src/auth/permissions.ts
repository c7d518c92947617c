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
  /** What the route checks beyond the role (a field only some roles may write, a purpose rule). */
  note?: string;
}

const STAFF = ['admin', 'supervisor', 'agent'] as const;
const MANAGERS = ['admin', 'supervisor'] as const;
const EVERYONE = ['admin', 'supervisor', 'agent', 'marketer'] as const;
const MARKETING = ['admin', 'supervisor', 'marketer'] as const;
const ADMIN = ['admin'] as const;

const open = (note: string): Permission => ({ roles: 'public', visibility: 'none', note });
const allow = (roles: Permission['roles'], visibility: Visibility, note?: string): Permission => ({
  roles,
  visibility,
  ...(note ? { note } : {}),
});

/** Keyed by `METHOD /path` as Fastify registers the route (`/api/v1/conversations/:id`). */
export const ROUTE_PERMISSIONS: Record<string, Permission> = {
  // Sessions and users
  'POST /api/v1/auth/login': open('checks the password itself'),
  'GET /api/v1/auth/me': allow('authenticated', 'none'),
  'POST /api/v1/users': allow(ADMIN, 'none'),
  'GET /api/v1/users': allow(MANAGERS, 'none'),
  'PATCH /api/v1/users/:id': allow(ADMIN, 'none', 'role, active, capacity; effective next request'),
  'POST /api/v1/auth/logout': allow('authenticated', 'none', 'ends every token of the user'),
  'POST /api/v1/auth/2fa/setup': allow(
    'authenticated',
    'none',
    'also reached by a REQUIRE_2FA enrolment-only token',
  ),
  'POST /api/v1/auth/2fa/enable': allow(
    'authenticated',
    'none',
    'also reached by a REQUIRE_2FA enrolment-only token',
  ),
  'POST /api/v1/auth/2fa/disable': allow(
    'authenticated',
    'none',
    'needs a current code; not for admins under REQUIRE_2FA',
  ),

  // Customers: profiles are read by every role; identities and consent are written by managers.
  'POST /api/v1/customers': allow(MANAGERS, 'none', 'a new customer carries identities'),
  'GET /api/v1/customers': allow(EVERYONE, 'none'),
  'GET /api/v1/customers/:id': allow(EVERYONE, 'none'),
  'PATCH /api/v1/customers/:id': allow(
    EVERYONE,
    'none',
    'changing identities needs admin or supervisor (403 for the others)',
  ),
  'POST /api/v1/customers/:id/merge': allow(MANAGERS, 'none', 'moves identities'),
  'GET /api/v1/customers/:id/timeline': allow(
    STAFF,
    'team',
    'an agent gets the messages of conversations it may see (and those outside any conversation)',
  ),
  'PUT /api/v1/customers/:id/preferences': allow(EVERYONE, 'none'),
  'GET /api/v1/customers/:id/consents': allow(EVERYONE, 'none'),
  'POST /api/v1/customers/:id/consents': allow(MANAGERS, 'none'),
  'GET /api/v1/customers/:id/identity-claims': allow(
    STAFF,
    'none',
    'what live-chat visitors claimed to be, verified or not',
  ),
  'GET /api/v1/customers/:id/export': allow(MANAGERS, 'all', 'everything held on the customer'),
  'DELETE /api/v1/customers/:id': allow(MANAGERS, 'none'),

  // Templates: read by every role, written by marketers and managers.
  'GET /api/v1/templates': allow(EVERYONE, 'none'),
  'GET /api/v1/templates/:key': allow(EVERYONE, 'none'),
  'POST /api/v1/templates': allow(
    MARKETING,
    'none',
    "a marketer's version may state only the marketing purpose",
  ),
  'POST /api/v1/templates/:key/preview': allow(EVERYONE, 'none'),

  // Routed messages: the template must allow the purpose; a marketer sends only for marketing.
  'POST /api/v1/messages': allow(EVERYONE, 'none', "purpose: the template's; marketers: marketing"),
  'POST /api/v1/routing/preview': allow(EVERYONE, 'none', 'purpose as for POST /api/v1/messages'),
  'GET /api/v1/messages/:id': allow(STAFF, 'team', 'marketers read no message text'),

  // Inbox
  'GET /api/v1/conversations': allow(STAFF, 'team', 'the q= search hits included'),
  'GET /api/v1/conversations/:id': allow(STAFF, 'team'),
  'POST /api/v1/conversations/:id/replies': allow(STAFF, 'team'),
  'POST /api/v1/conversations/:id/notes': allow(STAFF, 'team'),
  'POST /api/v1/conversations/:id/status': allow(STAFF, 'team'),
  'POST /api/v1/conversations/:id/assign': allow(STAFF, 'team'),
  'POST /api/v1/conversations/:id/tags': allow(STAFF, 'team'),
  'POST /api/v1/conversations/:id/priority': allow(STAFF, 'team'),
  'POST /api/v1/conversations/:id/follow-ups': allow(STAFF, 'team'),
  'GET /api/v1/conversations/:id/follow-ups': allow(STAFF, 'team'),
  'GET /api/v1/attachments/:id': allow(STAFF, 'team', 'of a message the caller may see'),
  'GET /api/v1/canned-responses': allow(STAFF, 'none'),
  'POST /api/v1/canned-responses': allow(MANAGERS, 'none'),
  'GET /api/v1/teams': allow(STAFF, 'none'),
  'POST /api/v1/teams': allow(MANAGERS, 'none'),
  'POST /api/v1/teams/:id/members': allow(MANAGERS, 'none'),
  'GET /api/v1/sla-policies': allow(MANAGERS, 'none'),
  'POST /api/v1/sla-policies': allow(MANAGERS, 'none'),
  'GET /api/v1/agents/presence': allow(STAFF, 'none'),

  // Campaigns and analytics: marketers' data, never conversation text.
  'POST /api/v1/campaigns': allow(
    MARKETING,
    'none',
    "the template must allow the campaign's purpose; marketers: marketing",
  ),
  'GET /api/v1/campaigns': allow(MARKETING, 'none'),
  'POST /api/v1/campaigns/segments/preview': allow(MARKETING, 'none'),
  'GET /api/v1/campaigns/:id': allow(MARKETING, 'none'),
  'GET /api/v1/campaigns/:id/stats': allow(MARKETING, 'none'),
  'GET /api/v1/campaigns/:id/progress': allow(MARKETING, 'none'),
  'POST /api/v1/campaigns/:id/launch': allow(MARKETING, 'none', 'purpose checked again'),
  'POST /api/v1/campaigns/:id/pause': allow(MARKETING, 'none'),
  'POST /api/v1/campaigns/:id/resume': allow(MARKETING, 'none'),
  'POST /api/v1/campaigns/:id/cancel': allow(MARKETING, 'none'),
  'POST /api/v1/conversions': allow(MARKETING, 'none'),
  'POST /api/v1/analytics/rfm/recompute': allow(MARKETING, 'none'),
  'GET /api/v1/analytics/rfm/tiers': allow(MARKETING, 'none'),
  'GET /api/v1/analytics/customers/:id': allow(MARKETING, 'none'),
  'GET /api/v1/analytics/service': allow(MANAGERS, 'none'),
  'GET /api/v1/analytics/csat': allow(MANAGERS, 'none'),

  // Sandbox: acting as any customer and reading every sandboxed send is for admins.
  'POST /api/v1/sandbox/inbound': allow(ADMIN, 'all'),
  'GET /api/v1/sandbox/outbox': allow(ADMIN, 'all'),

  // Providers and customers reach these; each checks its own signature or token.
  'POST /webhooks/email/inbound': open('X-Webhook-Secret'),
  'POST /webhooks/twilio/sms': open('X-Twilio-Signature'),
  'POST /webhooks/twilio/status': open('X-Twilio-Signature'),
  'POST /webhooks/twilio/voice': open('X-Twilio-Signature'),
  'POST /webhooks/twilio/voice/recording': open('X-Twilio-Signature'),
  'POST /webhooks/twilio/voice/transcription': open('X-Twilio-Signature'),
  'POST /webhooks/twilio/voice/status': open('X-Twilio-Signature'),
  'POST /webhooks/twilio/voice/gather': open('X-Twilio-Signature'),
  'GET /t/o/:token': open('signed tracking token'),
  'GET /t/c/:token': open('signed tracking token'),
  'GET /s/:code': open('short link'),
  'GET /u/:token': open('signed preference-page token'),
  'POST /u/:token': open('signed preference-page token'),
  'GET /widget.js': open('the live-chat widget'),
  'GET /demo': open('the widget demo page'),
  'GET /health': open('status for anyone; its details need METRICS_TOKEN when set'),
  'GET /metrics': open('needs METRICS_TOKEN when set (Bearer or ?token=)'),
};

/**
 * Keyed by `/namespace event` (an event a client sends; `connection` is the handshake) or
 * `/namespace >event` (one it receives). The socket guard refuses a client event with no row;
 * the agents' forwarder emits no event with no row.
 */
export const SOCKET_PERMISSIONS: Record<string, Permission> = {
  '/agents connection': allow(STAFF, 'team', 'joins the rooms of the conversations it may see'),
  '/agents presence': allow(STAFF, 'none'),
  '/agents view': allow(STAFF, 'team'),
  '/agents typing': allow(STAFF, 'team', 'only in the conversation it views'),
  '/agents >conversation.created': allow(STAFF, 'team'),
  '/agents >conversation.updated': allow(STAFF, 'team'),
  '/agents >message.created': allow(STAFF, 'team'),
  '/agents >message.status': allow(STAFF, 'team'),
  '/agents >message.updated': allow(STAFF, 'team'),
  '/agents >sla.breached': allow(STAFF, 'team', 'supervisors, admins and the assignee'),
  '/agents >mention': allow(STAFF, 'team', 'the mentioned users'),
  '/agents >follow_up.due': allow(STAFF, 'team', 'the agent who scheduled it'),
  '/agents >agent.typing': allow(STAFF, 'team', 'viewers of that conversation'),
  '/agents >agent.viewing': allow(STAFF, 'team', 'viewers of that conversation'),
  '/agents >presence': allow(STAFF, 'none'),
  '/agents >error': open('why the connection was refused'),
  '/agents >session.ended': allow(
    STAFF,
    'none',
    'the user logged out, was deactivated or changed role',
  ),
  '/agents >campaign.progress': allow(MANAGERS, 'none'),
  '/chat connection': open('a visitor token, issued when absent'),
  '/chat message': open('the visitor speaks in its own conversation'),
  '/chat typing': open('the visitor'),
  '/chat identify': open('a claim unless signed'),
  '/chat verify': open('completes a claim with the one-time code sent to the address'),
  '/chat >session': open('the visitor'),
  '/chat >history': open("the visitor's own conversation"),
  '/chat >message': open("the visitor's own conversation"),
  '/chat >typing': open("the visitor's own conversation"),
  '/chat >error': open("the visitor's own refused request"),
};

/** Whether a caller of `role` (null: no login) passes `permission`'s roles. */
export function permits(permission: Permission, role: Role | null): boolean {
  if (permission.roles === 'public') return true;
  if (role === null) return false;
  return permission.roles === 'authenticated' || permission.roles.includes(role);
}

/** The route's key in ROUTE_PERMISSIONS; HEAD answers as the GET it mirrors. */
export function routeKey(method: string, url: string): string {
  return `${method === 'HEAD' ? 'GET' : method} ${url}`;
}
