import type { Attachment } from './attachment';

/** Row shapes (snake_case from SQL) to API shapes (camelCase), in one place. */
export interface MessageView {
  id: string;
  seq: string;
  customerId: string;
  conversationId: string | null;
  direction: string;
  kind: string;
  channel: string | null;
  text: string;
  html?: string | null;
  subject?: string | null;
  attachments: Attachment[];
  status: string;
  address?: string | null;
  providerMessageId?: string | null;
  autoReply: boolean;
  createdAt: string;
  route?: unknown;
  metadata?: Record<string, unknown>;
  author?: { id: string; name?: string } | null;
  topic?: string | null;
  urgency?: string | null;
  purpose?: string | null;
  template?: string | null;
  sendAt?: string | null;
}

export interface ConversationView {
  id: string;
  customerId: string;
  status: string;
  priority: string;
  assigneeId: string | null;
  teamId: string | null;
  subject: string | null;
  lastChannel: string | null;
  lastInboundChannel: string | null;
  lastMessageAt: string | null;
  lastMessagePreview: string | null;
  snoozedUntil: string | null;
  tags: string[];
  firstResponseAt: string | null;
  resolvedAt: string | null;
  createdAt: string;
  updatedAt: string;
  customer?: { id: string; displayName: string };
  /** The running SLA cycle's next deadline, or its breach (kept until the cycle ends); null: none. */
  sla: SlaView | null;
}

export interface SlaView {
  dueAt: string;
  kind: 'first_response' | 'resolution';
  breachedAt?: string;
}

type Row = Record<string, unknown>;
const iso = (v: unknown) =>
  v == null ? null : v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();

export function messageView(r: Row): MessageView {
  return {
    id: r.id as string,
    seq: String(r.seq),
    customerId: r.customer_id as string,
    conversationId: (r.conversation_id as string) ?? null,
    direction: r.direction as string,
    kind: r.kind as string,
    channel: (r.channel as string) ?? null,
    text: r.text as string,
    html: (r.html as string) ?? null,
    subject: (r.subject as string) ?? null,
    attachments: (r.attachments as Attachment[]) ?? [],
    status: r.status as string,
    address: (r.address as string) ?? null,
    providerMessageId: (r.provider_message_id as string) ?? null,
    autoReply: Boolean(r.auto_reply),
    createdAt: iso(r.created_at)!,
    route: r.route ?? undefined,
    metadata: (r.metadata as Record<string, unknown>) ?? {},
    author: r.author_id
      ? { id: r.author_id as string, name: (r.author_name as string) ?? undefined }
      : null,
    topic: (r.topic as string) ?? null,
    urgency: (r.urgency as string) ?? null,
    purpose: (r.purpose as string) ?? null,
    template: (r.template as string) ?? null,
    sendAt: iso(r.send_at),
  };
}

export function conversationView(r: Row): ConversationView {
  return {
    id: r.id as string,
    customerId: r.customer_id as string,
    status: r.status as string,
    priority: r.priority as string,
    assigneeId: (r.assignee_id as string) ?? null,
    teamId: (r.team_id as string) ?? null,
    subject: (r.subject as string) ?? null,
    lastChannel: (r.last_channel as string) ?? null,
    lastInboundChannel: (r.last_inbound_channel as string) ?? null,
    lastMessageAt: iso(r.last_message_at),
    lastMessagePreview: (r.last_message_preview as string) ?? null,
    snoozedUntil: iso(r.snoozed_until),
    tags: (r.tags as string[] | undefined) ?? [],
    firstResponseAt: iso(r.first_response_at),
    resolvedAt: iso(r.resolved_at),
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    sla: slaView(r),
    ...(r.customer_display_name !== undefined
      ? {
          customer: { id: r.customer_id as string, displayName: r.customer_display_name as string },
        }
      : {}),
  };
}

/** A breach stays shown until the cycle ends; else the first-response deadline, then resolution. */
function slaView(r: Row): SlaView | null {
  const first = iso(r.sla_first_response_due_at);
  const resolution = iso(r.sla_resolution_due_at);
  const breachedAt = iso(r.sla_breached_at);
  if (breachedAt) {
    const kind = r.sla_breach_kind === 'first_response' ? 'first_response' : 'resolution';
    const dueAt = (kind === 'first_response' ? first : resolution) ?? breachedAt;
    return { dueAt, kind, breachedAt };
  }
  if (first) return { dueAt: first, kind: 'first_response' };
  if (resolution) return { dueAt: resolution, kind: 'resolution' };
  return null;
}
