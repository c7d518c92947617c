import { z } from 'zod';
import { timeZoneSchema } from '../common/time-zone';
import { CHANNELS } from '../common/names';

const port = z.coerce.number().int().min(0).max(65535);
const url = (protocols: string[]) =>
  z
    .string()
    .url()
    .refine((v) => protocols.some((p) => v.startsWith(`${p}:`)), {
      message: `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
/** "https://shop.example.com" or "http://localhost:8080": a scheme, a host, a port, nothing else. */
function isOrigin(v: string): boolean {
  if (!URL.canParse(v)) return false;
  const u = new URL(v);
  return /^https?:$/.test(u.protocol) && u.origin === v.replace(/\/$/, '').toLowerCase();
}
const bool = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

/** Every environment variable the hub reads; API.md's table plus operational ones. */
const SEND_RATE = /^\s*\d+\s*\/\s*\d*\s*(ms|s|m|h)\s*$/;
const SEND_RATE_HINT = 'must look like "10/s", "600/m" or "5/2s"';

/** Days a partitioned table keeps its rows: 0 (the default) keeps them all. */
const retentionDays = (what: string) =>
  z.coerce
    .number({ message: `must be a number of days to keep ${what} (0 keeps them)` })
    .int(`must be a whole number of days to keep ${what}`)
    .nonnegative(`must be 0 (keep ${what}) or more days`)
    .max(36500, 'must be at most 36500 days')
    .default(0);

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: optional(url(['postgres', 'postgresql'])),
  /**
   * Where migrations run at start, straight on the primary: their session advisory lock needs one
   * server connection, which a transaction-pooling PgBouncer does not keep (absent = DATABASE_URL).
   */
  DATABASE_MIGRATIONS_URL: optional(url(['postgres', 'postgresql'])),
  /** false behind a pooler that shares server connections between transactions (PgBouncer before 1.21 in transaction mode). */
  DATABASE_PREPARED_STATEMENTS: bool.default(true),
  /**
   * A read replica (a streaming standby) for the reads that tolerate a little lag: reports,
   * analytics, search, exports. Unset: every read goes to DATABASE_URL.
   */
  DATABASE_REPLICA_URL: optional(url(['postgres', 'postgresql'])),
  DATA_DIR: z.string().default('.data'),
  REDIS_URL: optional(url(['redis', 'rediss'])),
  /**
   * Redis through Sentinel: "host:port,host:port". The master is asked of them at each
   * (re)connection; REDIS_URL, if set too, then gives only user, password, database and TLS.
   */
  REDIS_SENTINELS: optional(
    csv.pipe(
      z
        .array(
          z
            .string()
            .regex(/^[^\s:,]+:\d{1,5}$/, 'each entry must look like "host:port" (comma-separated)')
            .transform((v) => {
              const i = v.lastIndexOf(':');
              return { host: v.slice(0, i), port: Number(v.slice(i + 1)) };
            })
            .refine((s) => s.port > 0 && s.port <= 65535, 'each port must be between 1 and 65535'),
        )
        .min(1, 'must name at least one Sentinel as "host:port"'),
    ),
  ),
  /** The master's name in the Sentinels' configuration (`sentinel monitor <name> ...`). */
  REDIS_SENTINEL_NAME: z
    .string()
    .regex(
      /^[a-zA-Z0-9._-]+$/,
      'must be the master name the Sentinels monitor (letters, digits, . _ -)',
    )
    .default('mymaster'),
  /** Every Redis key of the hub starts with it, as a hash tag: `{hub}:...` (one Cluster slot). */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_:-]+$/, 'must be letters, digits, _, : or - (the hub adds the {braces})')
    .default('hub'),
  /**
   * Lease of a running job's claim, renewed every third of it while the job runs: a dead
   * process's jobs (and BullMQ jobs whose lock lapsed) are taken up again within a quarter more.
   */
  JOB_LEASE_SECONDS: z.coerce
    .number()
    .int('must be a whole number of seconds')
    .min(3, 'must be at least 3 seconds')
    .max(3600, 'must be at most 3600 seconds')
    .default(15),
  /** api = HTTP only, worker = jobs only, all = both (default). */
  PROCESS_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  SMTP_INBOUND_PORT: port.default(2525),
  EMAIL_INBOXES: csv.pipe(z.array(z.string().email()).min(1)).default(['support@localhost']),
  EMAIL_FROM: optional(z.string().email()),
  ADMIN_EMAIL: optional(z.string().email()),
  ADMIN_PASSWORD: optional(
    z
      .string()
      .min(10, 'must be at least 10 characters')
      .refine((v) => Buffer.byteLength(v) <= 256, 'must be at most 256 bytes'),
  ),
  JWT_SECRET: optional(z.string().min(16)),
  JWT_TTL: z.string().default('12h'),
  /** Logins: failed attempts allowed per account and per client address within the window, then 429. */
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce
    .number()
    .int('must be a whole number of failures')
    .positive('must be at least 1')
    .default(5),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce
    .number()
    .int('must be a whole number of failures')
    .positive('must be at least 1')
    .default(50),
  API_KEY_REQUESTS_PER_MINUTE: z.coerce
    .number()
    .int('must be a whole number of requests')
    .positive('must be at least 1')
    .default(600),
  LOGIN_FAILURE_WINDOW_SECONDS: z.coerce
    .number()
    .int('must be a whole number of seconds')
    .positive('must be at least 1 second')
    .default(900),
  /** Admins must have a TOTP second factor: without one their login only reaches the enrolment routes. */
  REQUIRE_2FA: bool.default(false),
  /** Webhook URLs may point at private, loopback and link-local addresses (a receiver on the same network). */
  WEBHOOK_ALLOW_PRIVATE: bool.default(false),
  WEBHOOK_MAX_ATTEMPTS: z.coerce
    .number()
    .int('must be a whole number of attempts')
    .min(1, 'must be at least 1')
    .max(20, 'must be at most 20')
    .default(8),
  WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce
    .number()
    .int('must be a whole number of deliveries')
    .positive('must be at least 1')
    .default(5),
  WEBHOOK_TIMEOUT_MS: z.coerce
    .number()
    .int('must be a whole number of milliseconds')
    .min(100, 'must be at least 100 ms')
    .default(10_000),
  /** Key that encrypts stored TOTP secrets; unset = a key generated once and kept in the database. */
  TOTP_ENCRYPTION_KEY: optional(z.string().min(32, 'must be at least 32 characters')),
  TWILIO_ACCOUNT_SID: optional(
    z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC + 32 hex digits'),
  ),
  TWILIO_AUTH_TOKEN: optional(z.string().min(8)),
  TWILIO_FROM: optional(z.string()),
  /** WhatsApp: the WhatsApp-enabled sender number (E.164, with or without "whatsapp:"); unset = the sandbox. */
  TWILIO_WHATSAPP_FROM: optional(z.string()),
  /**
   * WhatsApp: template keys approved by WhatsApp (Meta) as message templates; only these may be sent
   * outside the 24-hour customer service window.
   */
  WHATSAPP_APPROVED_TEMPLATES: csv.pipe(z.array(z.string())).default([]),
  TWILIO_MESSAGING_SERVICE_SID: optional(z.string().regex(/^MG[0-9a-fA-F]{32}$/)),
  TWILIO_API_BASE_URL: optional(url(['http', 'https'])),
  CHANNELS_SANDBOX: csv.pipe(z.array(z.enum(CHANNELS))).default([]),
  PUBLIC_URL: optional(url(['http', 'https'])),
  /**
   * Browser origins the socket.io namespaces accept besides the hub's own (PUBLIC_URL's origin
   * and the page's host): "https://shop.example.com,https://www.example.com". Unset: /agents
   * takes only the hub's own; /chat takes any origin (the widget runs on customers' sites).
   */
  ALLOWED_ORIGINS: optional(
    csv.pipe(
      z
        .array(
          z.string().refine(isOrigin, {
            message: 'each entry must be an origin such as https://shop.example.com (no path)',
          }),
        )
        .min(1, 'must list at least one origin')
        .transform((list) => list.map((o) => new URL(o).origin)),
    ),
  ),
  /** Bearer token (or ?token=) that /metrics and the detailed /health need; unset = open. */
  METRICS_TOKEN: optional(z.string().min(16, 'must be at least 16 characters')),
  SMTP_URL: optional(url(['smtp', 'smtps'])),
  WECHATY_PUPPET: optional(z.string()),
  WECHATY_PUPPET_SERVICE_TOKEN: optional(z.string()),
  EMAIL_WEBHOOK_SECRET: optional(z.string().min(8)),
  /** Check every documented JSON response against its OpenAPI schema (tests; a mismatch is a 500). */
  API_VALIDATE_RESPONSES: bool.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT: z.string().default('1mb'),
  ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  /** Largest CSV a customer import from the browser takes (POST /api/v1/customers/imports), in bytes. */
  IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024),
  CONVERSATION_REOPEN_HOURS: z.coerce.number().nonnegative().default(168),
  START_SMTP_RECEIVER: bool.default(true),
  /** Seconds an auto-assigned agent has to reply before the conversation is offered to the next agent (0 = never). */
  ASSIGNMENT_REPLY_TIMEOUT_SECONDS: z.coerce.number().int().nonnegative().default(600),
  /** Statement timeout of an inbox search; past it the search answers 503 naming q. */
  SEARCH_TIMEOUT_MS: z.coerce.number().int().positive().default(2000),
  /** Largest inbound email (SMTP receiver and webhook), in bytes. */
  EMAIL_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(25 * 1024 * 1024),
  /** Live-chat messages per visitor: "<count>/<seconds>s", e.g. 10/10s. */
  CHAT_RATE_LIMIT: z
    .string()
    .regex(/^\d+\/\d+s$/, 'must look like 10/10s')
    .default('10/10s'),
  /** Live chat: the key of the visitor identity hash (HMAC-SHA256 of the e-mail, E.164 phone or external id); unset = no hash is valid. */
  LIVECHAT_IDENTITY_SECRET: optional(
    z.string().min(16, 'must be at least 16 characters (it signs visitor identities)'),
  ),
  /** Live chat: new visitors (connections without a token) per client address per minute. */
  CHAT_NEW_VISITORS_PER_MINUTE: z.coerce
    .number()
    .int('must be a whole number of visitors per minute')
    .positive('must be at least 1')
    .default(60),
  /** Voice: when agents answer, "<Day>[-<Day>] HH:MM-HH:MM", comma-separated ranges. */
  BUSINESS_HOURS: z
    .string()
    .regex(
      /^\s*(Mon|Tue|Wed|Thu|Fri|Sat|Sun)(-(Mon|Tue|Wed|Thu|Fri|Sat|Sun))?\s+\d\d:\d\d-\d\d:\d\d(\s*,\s*(Mon|Tue|Wed|Thu|Fri|Sat|Sun)(-(Mon|Tue|Wed|Thu|Fri|Sat|Sun))?\s+\d\d:\d\d-\d\d:\d\d)*\s*$/,
      'must look like "Mon-Fri 09:00-18:00"',
    )
    .default('Mon-Fri 09:00-18:00'),
  /** IANA timezone of BUSINESS_HOURS. */
  BUSINESS_TIMEZONE: timeZoneSchema.default('UTC'),
  /**
   * The answers to SMS keywords, in English and in Chinese (README: SMS keywords); an empty
   * text sends no answer (e.g. when Twilio Advanced Opt-Out already answers).
   */
  SMS_HELP_TEXT: z
    .string()
    .default(
      'Reply to this number to reach an agent. Msg & data rates may apply. Reply STOP to opt out, START to opt back in.',
    ),
  SMS_HELP_TEXT_ZH: z
    .string()
    .default(
      '直接回复本号码即可联系客服，短信费用按运营商标准收取。回复“退订”退订，回复“订阅”重新订阅。',
    ),
  SMS_OPTOUT_TEXT: z
    .string()
    .default(
      'You are unsubscribed and will get no more text messages from us. Reply START to subscribe again.',
    ),
  SMS_OPTOUT_TEXT_ZH: z.string().default('您已退订，将不再收到我们的短信。回复“订阅”可重新订阅。'),
  SMS_OPTIN_TEXT: z
    .string()
    .default('You are subscribed again and will get our text messages. Reply STOP to unsubscribe.'),
  SMS_OPTIN_TEXT_ZH: z.string().default('您已重新订阅，将继续收到我们的短信。回复“退订”即可退订。'),
  /** Routing: default channel ranking per urgency (comma list), used when neither matrix nor history decides. */
  ROUTING_DEFAULT_LOW: optional(csv.pipe(z.array(z.enum(CHANNELS)).min(1))),
  ROUTING_DEFAULT_NORMAL: optional(csv.pipe(z.array(z.enum(CHANNELS)).min(1))),
  ROUTING_DEFAULT_HIGH: optional(csv.pipe(z.array(z.enum(CHANNELS)).min(1))),
  ROUTING_DEFAULT_CRITICAL: optional(csv.pipe(z.array(z.enum(CHANNELS)).min(1))),
  /** Routing: most marketing messages per customer per day and per week. */
  MARKETING_CAP_PER_DAY: z.coerce.number().int().nonnegative().default(1),
  MARKETING_CAP_PER_WEEK: z.coerce.number().int().nonnegative().default(3),
  /**
   * Digests: low-urgency messages to one customer within this many minutes of their last
   * low-urgency one are gathered and sent as one digest when the window ends (0 = off; a
   * fraction, e.g. 0.05, is a few seconds, for tests).
   */
  DIGEST_WINDOW_MINUTES: z.coerce
    .number({ message: 'must be a number of minutes' })
    .nonnegative('must be 0 (off) or more minutes')
    .max(10080, 'must be at most 10080 minutes (a week)')
    .default(60),
  /** Contact budget: marketing holds back while the customer has an unresolved support conversation. */
  CONTACT_BUDGET_HOLD_OPEN_CONVERSATION: bool.default(true),
  /** Contact budget: days marketing holds back after an SLA breach on the customer's conversations (0 = off). */
  CONTACT_BUDGET_BREACH_DAYS: z.coerce
    .number({ message: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(0, 'must be 0 (off) or more days')
    .max(90, 'must be at most 90 days (the routing read looks back 90 days)')
    .default(7),
  /** Contact budget: marketing holds back while the customer's last CSAT score (1..5) is below this (0 = off). */
  CONTACT_BUDGET_MIN_CSAT: z.coerce
    .number({ message: 'must be a CSAT score' })
    .int('must be a whole CSAT score')
    .min(0, 'must be 0 (off) or a score from 1 to 5')
    .max(5, 'must be at most 5 (CSAT scores run from 1 to 5)')
    .default(3),
  /** Fallback: seconds before the next channel is tried when not delivered, per urgency (0 = no fallback). */
  FALLBACK_NORMAL_SECONDS: z.coerce.number().nonnegative().default(3600),
  FALLBACK_HIGH_SECONDS: z.coerce.number().nonnegative().default(600),
  FALLBACK_CRITICAL_SECONDS: z.coerce.number().nonnegative().default(60),
  /** Fallback: critical messages delivered but not read or answered within this many seconds go to the next channel too (0 = off). */
  FALLBACK_CRITICAL_READ_SECONDS: z.coerce.number().nonnegative().default(300),
  /** Fallback: multiplies every fallback timeout (tests use e.g. 0.01). */
  FALLBACK_SCALE: z.coerce.number().positive().default(1),
  /** Circuit breaker: consecutive provider failures that open a channel's circuit, and its cool-down. */
  CIRCUIT_FAILURES: z.coerce.number().int().positive().default(5),
  CIRCUIT_COOLDOWN_SECONDS: z.coerce.number().positive().default(60),
  /** Per-provider send rates ("10/s", "600/m", "5/2s"): each channel's delivery queue is throttled by BullMQ's limiter (unset = unlimited; the in-process queue ignores them). */
  SEND_RATE_EMAIL: optional(z.string().regex(SEND_RATE, SEND_RATE_HINT)),
  SEND_RATE_SMS: optional(z.string().regex(SEND_RATE, SEND_RATE_HINT)),
  SEND_RATE_VOICE: optional(z.string().regex(SEND_RATE, SEND_RATE_HINT)),
  SEND_RATE_WECHAT: optional(z.string().regex(SEND_RATE, SEND_RATE_HINT)),
  SEND_RATE_LIVECHAT: optional(z.string().regex(SEND_RATE, SEND_RATE_HINT)),
  SEND_RATE_WHATSAPP: optional(z.string().regex(SEND_RATE, SEND_RATE_HINT)),
  /** Templates: the shipped templates directory, and how often versions posted on other instances are picked up. */
  TEMPLATES_DIR: optional(z.string()),
  TEMPLATES_REFRESH_SECONDS: z.coerce.number().positive().default(10),
  /** Test-only sandbox behaviour per channel: "email=sent-only,sms=fail" (sent-only: never delivered; fail: transient error). */
  SANDBOX_BEHAVIOUR: z
    .string()
    .regex(
      /^\s*([a-z]+=(deliver|sent-only|fail)\s*(,\s*[a-z]+=(deliver|sent-only|fail)\s*)*)?$/,
      'must look like "email=sent-only,sms=fail"',
    )
    .default(''),
  /** Campaign analytics: unit price per message and channel, "sms=0.05,email=0.001,voice=0.2,wechat=0,livechat=0,whatsapp=0.005". */
  CHANNEL_UNIT_PRICES: z
    .string()
    .regex(
      /^\s*([a-z]+=\d+(\.\d+)?\s*(,\s*[a-z]+=\d+(\.\d+)?\s*)*)?$/,
      'must look like "sms=0.05,email=0.001"',
    )
    .default('sms=0.05,email=0.001,voice=0.2,wechat=0,livechat=0,whatsapp=0.005'),
  /** Campaigns: template keys pre-approved for crisis broadcasts (urgency critical). */
  CRISIS_TEMPLATES: csv.pipe(z.array(z.string())).default(['service-alert']),
  /** Campaigns: customers per fan-out batch job. */
  CAMPAIGN_BATCH_SIZE: z.coerce.number().int().min(1).max(10000).default(500),
  /**
   * Campaign stats: an inbound message of a recipient on the campaign message's channel (and
   * conversation) within this many hours after it counts as a reply (1 to 720).
   */
  CAMPAIGN_REPLY_WINDOW_HOURS: z.coerce.number().int().min(1).max(720).default(72),
  /** Analytics: hours between scheduled RFM recomputations (0 = never scheduled). */
  RFM_RECOMPUTE_HOURS: z.coerce.number().nonnegative().default(24),
  /** Preference centre: days a link to /p/:token stays valid (links in messages, links staff hand out). */
  PREFERENCE_LINK_TTL_DAYS: z.coerce
    .number({ message: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(1, 'must be at least 1 day')
    .max(3650, 'must be at most 3650 days')
    .default(90),
  /** Queue: days a finished job stays in the live queue before the hourly move to finished_jobs (0 = stays). */
  JOB_RETENTION_DAYS: z.coerce
    .number({ message: 'must be a number of days' })
    .nonnegative('must be 0 (keep) or more days')
    .max(3650, 'must be at most 3650 days')
    .default(7),
  /** Partitions: days kept of each partitioned table (0 or unset = kept); whole months go. */
  RETENTION_MESSAGES_DAYS: retentionDays('messages'),
  RETENTION_DELIVERY_ATTEMPTS_DAYS: retentionDays('delivery attempts'),
  RETENTION_TRACKING_EVENTS_DAYS: retentionDays('tracking events'),
  RETENTION_FINISHED_JOBS_DAYS: retentionDays('finished jobs'),
});

export type Env = z.infer<typeof envSchema>;
