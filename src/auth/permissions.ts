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
  'POST /api/v1/users/:id/password': allow(
    ADMIN,
    'none',
    'sets a temporary password; ends every token of the user',
  ),
  // API keys: admins only, through a session (no key reaches these routes: api-key-scopes.ts).
  'POST /api/v1/api-keys': allow(ADMIN, 'none', 'the key is shown once'),
  'GET /api/v1/api-keys': allow(ADMIN, 'none', 'never the secret'),
  'DELETE /api/v1/api-keys/:id': allow(ADMIN, 'none'),
  // Outbound webhooks: admins (sessions or keys with webhooks scopes); payloads carry message text.
  'POST /api/v1/webhooks': allow(ADMIN, 'none', 'the secret is shown once; private URLs refused'),
  'GET /api/v1/webhooks': allow(ADMIN, 'none', 'never the secrets'),
  'GET /api/v1/webhooks/event-types': allow(ADMIN, 'none'),
  'PATCH /api/v1/webhooks/:id': allow(ADMIN, 'none'),
  'DELETE /api/v1/webhooks/:id': allow(ADMIN, 'none'),
  'GET /api/v1/webhooks/:id/deliveries': allow(ADMIN, 'none', 'payloads may hold message text'),
  'POST /api/v1/webhooks/:id/deliveries/:deliveryId/replay': allow(ADMIN, 'none'),
  // Automation rules (supervisors and admins) and macros (agents keep personal ones).
  'POST /api/v1/automation-rules': allow(MANAGERS, 'none'),
  'GET /api/v1/automation-rules': allow(MANAGERS, 'none'),
  'PATCH /api/v1/automation-rules/:id': allow(MANAGERS, 'none'),
  'DELETE /api/v1/automation-rules/:id': allow(MANAGERS, 'none'),
  'POST /api/v1/macros': allow(STAFF, 'none', 'shared: supervisors and admins only'),
  'GET /api/v1/macros': allow(STAFF, 'none', "shared macros and the caller's own"),
  'PATCH /api/v1/macros/:id': allow(STAFF, 'none', 'own personal macros; shared: managers'),
  'DELETE /api/v1/macros/:id': allow(STAFF, 'none', 'own personal macros; shared: managers'),
  'POST /api/v1/conversations/:id/macros/:macroId': allow(
    STAFF,
    'team',
    'a macro the caller sees, run as the caller',
  ),
  'POST /api/v1/auth/logout': allow('authenticated', 'none', 'ends every token of the user'),
  'POST /api/v1/auth/password': allow(
    'authenticated',
    'none',
    'proves the current password; ends every token of the user',
  ),
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
  'GET /api/v1/customers/:id/duplicates': allow(EVERYONE, 'none', 'names and identities only'),
  'GET /api/v1/customers/:id/campaigns': allow(EVERYONE, 'none', 'campaign names and tracking'),
  'GET /api/v1/customers/:id/timeline': allow(
    STAFF,
    'team',
    'an agent gets the messages of conversations it may see (and those outside any conversation)',
  ),
  'GET /api/v1/customers/:id/activity': allow(
    EVERYONE,
    'none',
    'message counts, times and purposes per channel; never message text',
  ),
  'PUT /api/v1/customers/:id/preferences': allow(EVERYONE, 'none'),
  'GET /api/v1/customers/:id/consents': allow(EVERYONE, 'none'),
  'POST /api/v1/customers/:id/consents': allow(MANAGERS, 'none'),
  'GET /api/v1/customers/:id/identity-claims': allow(
    STAFF,
    'none',
    'what live-chat visitors claimed to be, verified or not',
  ),
  'GET /api/v1/customers/:id/contact-budget': allow(
    EVERYONE,
    'none',
    'marketing left, holds (times only, no conversation content), quiet hours, best channel now',
  ),
  'POST /api/v1/customers/:id/preference-link': allow(
    EVERYONE,
    'none',
    'whoever sees the customer; the link lets its holder change their consent (audited)',
  ),
  'GET /api/v1/customers/:id/preference-link': allow(EVERYONE, 'none', 'as POST (API.md form)'),
  'GET /api/v1/customers/:id/export': allow(MANAGERS, 'all', 'everything held on the customer'),
  'DELETE /api/v1/customers/:id': allow(MANAGERS, 'none'),
  // Imports create customers with identities and marketing consent; existing ones never change.
  'POST /api/v1/customers/imports': allow(
    MARKETING,
    'none',
    'creates customers (identities, marketing consent from the file); never changes one',
  ),
  'GET /api/v1/customers/imports/:id': allow(MARKETING, 'none', 'counts and rejected rows'),
  'GET /api/v1/customers/imports/:id/rejected.csv': allow(MARKETING, 'none'),

  // Templates: read by every role, written by marketers and managers.
  'GET /api/v1/templates': allow(EVERYONE, 'none'),
  'GET /api/v1/templates/:key': allow(EVERYONE, 'none'),
  'POST /api/v1/templates': allow(
    MARKETING,
    'none',
    "a marketer's version may state only the marketing purpose",
  ),
  'POST /api/v1/templates/:key/preview': allow(EVERYONE, 'none'),
  // The template editor: drafts and publication as for POST /api/v1/templates.
  'GET /api/v1/templates/:key/versions': allow(EVERYONE, 'none'),
  'GET /api/v1/templates/:key/source': allow(EVERYONE, 'none'),
  'GET /api/v1/templates/:key/preview-customers': allow(
    MARKETING,
    'none',
    'names and locales only, to pick whom to preview for',
  ),
  'POST /api/v1/templates/:key/drafts': allow(
    MARKETING,
    'none',
    "a marketer's draft may state only the marketing purpose",
  ),
  'POST /api/v1/templates/:key/versions/:id/publish': allow(
    MARKETING,
    'none',
    'a marketer publishes only marketing-only versions',
  ),
  'POST /api/v1/templates/:key/versions/:id/rollback': allow(
    MARKETING,
    'none',
    'a marketer re-publishes only marketing-only versions',
  ),
  'POST /api/v1/templates/:key/test-send': allow(
    MARKETING,
    'none',
    "to the caller's own e-mail address only",
  ),

  // Routed messages: the template must allow the purpose; a marketer sends only for marketing.
  'POST /api/v1/messages': allow(EVERYONE, 'none', "purpose: the template's; marketers: marketing"),
  'POST /api/v1/routing/preview': allow(EVERYONE, 'none', 'purpose as for POST /api/v1/messages'),
  'POST /api/v1/routing/simulate': allow(
    MANAGERS,
    'none',
    'read-only, stores nothing: admins try defaults before saving; supervisors see the same numbers as reports',
  ),
  'GET /api/v1/messages/:id': allow(STAFF, 'team', 'marketers read no message text'),

  // Inbox
  'GET /api/v1/conversations': allow(STAFF, 'team', 'the q= search hits included'),
  'GET /api/v1/conversations/:id': allow(STAFF, 'team'),
  'POST /api/v1/conversations/:id/replies': allow(STAFF, 'team'),
  'POST /api/v1/conversations/:id/call': allow(STAFF, 'team'),
  'POST /api/v1/conversations/:id/notes': allow(STAFF, 'team'),
  'POST /api/v1/conversations/:id/status': allow(STAFF, 'team'),
  'POST /api/v1/conversations/:id/assign': allow(STAFF, 'team'),
  'POST /api/v1/conversations/:id/tags': allow(STAFF, 'team'),
  'POST /api/v1/conversations/:id/priority': allow(STAFF, 'team'),
  'POST /api/v1/conversations/bulk': allow(
    STAFF,
    'team',
    'each id checked as its single route; refusals reported per id',
  ),
  'POST /api/v1/conversations/:id/follow-ups': allow(STAFF, 'team'),
  'GET /api/v1/conversations/:id/follow-ups': allow(STAFF, 'team'),
  'POST /api/v1/attachments': allow(STAFF, 'none', 'an upload to send with a reply'),
  'GET /api/v1/attachments/:id': allow(STAFF, 'team', 'of a message the caller may see'),
  'POST /api/v1/attachments/:id/link': allow(
    STAFF,
    'team',
    'a 5-minute signed link to an attachment of a message the caller may see',
  ),
  'GET /api/v1/attachments/:id/signed': open('checks the signed link it carries (5 minutes)'),
  'GET /api/v1/canned-responses': allow(STAFF, 'none'),
  'GET /api/v1/email-inboxes': allow(STAFF, 'none', 'addresses and signatures, for the reply box'),
  'PUT /api/v1/email-inboxes/:address/signature': allow(ADMIN, 'none'),
  'POST /api/v1/canned-responses': allow(MANAGERS, 'none'),
  'PATCH /api/v1/canned-responses/:id': allow(MANAGERS, 'none'),
  'DELETE /api/v1/canned-responses/:id': allow(MANAGERS, 'none'),
  'GET /api/v1/teams': allow(STAFF, 'none'),
  'POST /api/v1/teams': allow(MANAGERS, 'none'),
  'PATCH /api/v1/teams/:id': allow(MANAGERS, 'none', 'name, time zone, business hours, holidays'),
  'POST /api/v1/teams/:id/members': allow(MANAGERS, 'none'),
  'DELETE /api/v1/teams/:id/members/:userId': allow(MANAGERS, 'none'),
  'GET /api/v1/sla-policies': allow(MANAGERS, 'none'),
  'POST /api/v1/sla-policies': allow(MANAGERS, 'none'),
  'GET /api/v1/agents': allow(STAFF, 'none', 'names, roles, teams and presence; no e-mail'),
  'DELETE /api/v1/sla-policies/:id': allow(MANAGERS, 'none'),

  // Admin settings: channel configuration, routing defaults, the first-run checklist.
  'GET /api/v1/settings/channels': allow(ADMIN, 'none', 'transports, circuits, webhook URLs'),
  'GET /api/v1/settings/routing-defaults': allow(ADMIN, 'none'),
  'PUT /api/v1/settings/routing-defaults': allow(ADMIN, 'none', 'applied live on every instance'),
  'DELETE /api/v1/settings/routing-defaults': allow(ADMIN, 'none'),
  'GET /api/v1/settings/checklist': allow(ADMIN, 'none'),
  'GET /api/v1/agents/presence': allow(STAFF, 'none'),
  'GET /api/v1/team-view': allow(
    MANAGERS,
    'all',
    "agents' load, the queue and SLA at risk: customer names and previews",
  ),
  'GET /api/v1/notifications': allow(STAFF, 'none', "the caller's own notifications only"),
  'GET /api/v1/notifications/unread-count': allow(STAFF, 'none', "the caller's own"),
  'POST /api/v1/notifications/read': allow(STAFF, 'none', "marks only the caller's own"),

  // Campaigns and analytics: marketers' data, never conversation text.
  'POST /api/v1/campaigns': allow(
    MARKETING,
    'none',
    "the template must allow the campaign's purpose; marketers: marketing",
  ),
  'GET /api/v1/campaigns': allow(MARKETING, 'none'),
  'POST /api/v1/campaigns/segments/preview': allow(MARKETING, 'none'),
  'POST /api/v1/campaigns/dry-run': allow(MARKETING, 'none', 'writes nothing; purpose checked'),
  'POST /api/v1/campaigns/:id/dry-run': allow(MARKETING, 'none', 'writes nothing'),
  'GET /api/v1/campaigns/:id': allow(MARKETING, 'none'),
  'GET /api/v1/campaigns/:id/stats': allow(MARKETING, 'none'),
  'GET /api/v1/campaigns/:id/progress': allow(MARKETING, 'none'),
  'POST /api/v1/campaigns/:id/launch': allow(
    MARKETING,
    'none',
    'purpose checked again; a crisis broadcast needs confirm = its name',
  ),
  'POST /api/v1/campaigns/:id/pause': allow(MARKETING, 'none'),
  'POST /api/v1/campaigns/:id/resume': allow(MARKETING, 'none'),
  'POST /api/v1/campaigns/:id/cancel': allow(MARKETING, 'none'),
  // Saved segments: named filters over customers (tags, tier, attributes, consent, RFM).
  'GET /api/v1/segments': allow(MARKETING, 'none'),
  'GET /api/v1/segments/:id': allow(MARKETING, 'none'),
  'POST /api/v1/segments': allow(MARKETING, 'none'),
  'PATCH /api/v1/segments/:id': allow(MARKETING, 'none'),
  'DELETE /api/v1/segments/:id': allow(MARKETING, 'none', 'campaigns keep their own copy'),
  // Contacts: the customer base in bulk (a list, a CSV of it). Personal data for marketing use,
  // so not agents: they reach a customer through the conversations they serve (GET /customers/:id).
  'GET /api/v1/contacts': allow(MARKETING, 'none', 'customers in bulk: not for agents'),
  'GET /api/v1/contacts.csv': allow(MARKETING, 'none', 'customers in bulk: not for agents'),
  'GET /api/v1/contacts/at-risk': allow(MARKETING, 'none', 'customers in bulk: not for agents'),
  // Crisis broadcasts: admins and supervisors only. One overrides quiet hours and goes out on
  // service grounds with a stated legal basis (not marketing consent): the call of whoever runs
  // the operation, not of marketing (whose campaigns are marketing: purposes.ts). Its launch
  // repeats its name (confirmation.ts). The reach is counts only (marketers may watch it); the
  // proof of notice names customers and their addresses: admins and supervisors.
  'POST /api/v1/campaigns/crisis': allow(
    MANAGERS,
    'none',
    'a CRISIS_TEMPLATES template; service or transactional; a stated legal basis',
  ),
  'GET /api/v1/campaigns/:id/reach': allow(MARKETING, 'none', 'counts only'),
  'GET /api/v1/campaigns/:id/proof-of-notice.csv': allow(
    MANAGERS,
    'none',
    'names and (masked unless address=full) addresses; every export audited',
  ),
  'POST /api/v1/conversions': allow(MARKETING, 'none'),
  'POST /api/v1/analytics/rfm/recompute': allow(MARKETING, 'none'),
  'GET /api/v1/analytics/rfm/tiers': allow(MARKETING, 'none'),
  'GET /api/v1/analytics/customers/:id': allow(MARKETING, 'none'),
  'GET /api/v1/analytics/service': allow(MANAGERS, 'none'),
  'GET /api/v1/analytics/csat': allow(MANAGERS, 'none'),
  'GET /api/v1/analytics/service.csv': allow(MANAGERS, 'none'),
  'GET /api/v1/analytics/csat/responses': allow(
    MANAGERS,
    'none',
    "the customers' rating comments, not conversation text",
  ),
  'GET /api/v1/analytics/csat/responses.csv': allow(MANAGERS, 'none'),

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
  'GET /u/:token': open('signed unsubscribe token'),
  'POST /u/:token': open('signed unsubscribe token (RFC 8058 one-click)'),
  'GET /p/:token': open('signed preference-centre token'),
  'POST /p/:token/matrix': open('signed preference-centre token'),
  'POST /p/:token/quiet-hours': open('signed preference-centre token'),
  'POST /p/:token/consent': open('signed preference-centre token'),
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
  '/agents >notification': allow(STAFF, 'none', "the notification's own user"),
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
