/**
 * Bulk load for bench:inbox: 20 teams, customers, identities, conversations and their messages
 * with realistic English and Chinese support texts, written by INSERT ... SELECT generate_series
 * in the database itself. Skewed: most customers have about five conversations, and one
 * conversation in 50 belongs to a few "whale" customers with 200 conversations (2,000 messages)
 * each; only a customer's newest conversation may be unresolved (one active per customer).
 * Conversations belong to one of the teams (10% to none). Secondary indexes of the big tables are
 * dropped for the load and rebuilt from their own definitions afterwards (what a restore does),
 * then the tables are analyzed.
 */
import { createHash } from 'crypto';
import { ensureMonthPartitions } from './month-partitions';
import type { Client } from 'pg';

/** Deterministic ids so the inserts can reference each other without a round trip. */
export const customerId = (i: number) => uuidOf(`cu${i}`);
export const conversationId = (i: number) => uuidOf(`cv${i}`);
export const teamId = (i: number) => uuidOf(`tm${i}`);
export const TEAMS = 20;

/** How conversations map to customers (the same arithmetic as the SQL below). */
export interface InboxShape {
  conversations: number;
  /** Customers with one conversation in 50, 200 each. */
  whales: number;
  /** The other customers, about five conversations each. */
  regulars: number;
  customers: number;
}

export function inboxShape(conversations: number): InboxShape {
  const whales = Math.max(1, Math.floor(conversations / 50 / 200));
  const regulars = Math.max(1, Math.floor(conversations / 5));
  return { conversations, whales, regulars, customers: whales + regulars };
}

/** The customer of conversation c. */
export function customerOf(shape: InboxShape, c: number): number {
  return c % 50 === 0 ? Math.floor(c / 50) % shape.whales : shape.whales + (c % shape.regulars);
}
function uuidOf(key: string): string {
  // Same as uid() in SQL: md5 with the version-4 and variant nibbles set, so ParseUUIDPipe takes it.
  const md5 = createHash('md5').update(key).digest('hex');
  const hex = `${md5.slice(0, 12)}4${md5.slice(13, 16)}8${md5.slice(17)}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const EN_FIRST = [
  'James',
  'Mary',
  'Robert',
  'Patricia',
  'John',
  'Jennifer',
  'Michael',
  'Linda',
  'David',
  'Elizabeth',
  'William',
  'Barbara',
  'Richard',
  'Susan',
  'Joseph',
  'Jessica',
  'Thomas',
  'Sarah',
  'Charles',
  'Karen',
  'Daniel',
  'Nancy',
  'Matthew',
  'Lisa',
];
const EN_LAST = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Thompson',
  'White',
  'Harris',
  'Clark',
];
const ZH_SURNAME = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '高',
  '林',
  '罗',
];
const ZH_GIVEN = [
  '伟',
  '芳',
  '娜',
  '秀英',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀兰',
  '霞',
  '平',
  '刚',
  '桂英',
  '晓东',
];

const EN_OPEN = [
  'Hi,',
  'Hello,',
  'Hello team,',
  'Good morning,',
  'Good afternoon,',
  'Hey there,',
  'Dear support,',
  'Hi there,',
];
const EN_ISSUE = [
  'my order has not arrived yet',
  'I was charged twice for the same order',
  'the package arrived damaged and the box was open',
  'I need to change the shipping address on my order',
  'can I get a refund for the wrong size',
  'the tracking number you sent does not work',
  'my account is locked after the password reset',
  'the coupon code was not applied at checkout',
  'I would like to cancel my subscription before it renews',
  'the invoice shows the wrong company name',
  'the app crashes when I open the shopping cart',
  'I did not receive the confirmation email',
  'one item is missing from my delivery',
  'the headphones stopped charging after two days',
  'I want to exchange the blue jacket for a black one',
  'the courier left the parcel with a neighbour I do not know',
  'my loyalty points disappeared from my account',
  'the price dropped a day after I bought it, can you match it',
  'the gift card balance shows zero',
  'the installation appointment was missed',
];
const EN_DETAIL = [
  'It was supposed to be delivered on Monday.',
  'I already contacted you last week about this.',
  'Please call me back after 6pm.',
  'I have attached a photo of the label.',
  'This is the second time this has happened.',
  'I paid with my Visa card.',
  'I need it before the weekend, it is a birthday present.',
  'The order was placed on your mobile app.',
  'Could you check what went wrong?',
  'My neighbour had the same problem.',
];
const EN_CLOSE = [
  'Thanks!',
  'Thank you.',
  'Best regards.',
  'Looking forward to your reply.',
  'Cheers.',
  'Kind regards.',
  'Many thanks in advance.',
];
const EN_FOLLOW = [
  'Any update on this?',
  'I still have not heard back from anyone.',
  'Thanks, that worked.',
  'The parcel finally arrived today.',
  'Can you send me a return label please?',
  'Is there a phone number I can call instead?',
  'OK, I will wait for the replacement.',
  'The refund has not shown up on my statement yet.',
];
const EN_AGENT = [
  'Thanks for reaching out, I am looking into your order now.',
  'I am sorry about the trouble. I have issued a full refund, it takes 3 to 5 business days.',
  'I have sent a prepaid return label to your email address.',
  'Your replacement has shipped, the new tracking number is in your inbox.',
  'I have unlocked your account; please reset your password again from the login page.',
  'I have applied the discount manually and refunded the difference.',
  'Could you send us a photo of the damaged item so we can file a claim with the courier?',
  'Your subscription is cancelled and you will not be charged again.',
];
const ZH_OPEN = ['您好，', '你好，', '客服你好，', '在吗？', '您好客服，', '麻烦问一下，'];
const ZH_ISSUE = [
  '我的订单还没有收到',
  '同一个订单被扣了两次款',
  '收到的包裹破损了，箱子是打开的',
  '我想修改订单的收货地址',
  '尺码不对，可以退款吗',
  '你们发的物流单号查不到',
  '重置密码以后账号被锁定了',
  '结账的时候优惠券没有生效',
  '我想在续费之前取消会员订阅',
  '发票抬头开错了',
  '打开购物车的时候应用闪退',
  '没有收到确认邮件',
  '快递少了一件商品',
  '耳机用了两天就充不进电了',
  '我想把蓝色外套换成黑色的',
  '快递员把包裹放在了不认识的邻居家',
  '我的积分突然不见了',
  '刚买第二天就降价了，可以补差价吗',
  '礼品卡余额显示为零',
  '预约的上门安装没有人来',
];
const ZH_DETAIL = [
  '本来应该周一送到的。',
  '上周已经联系过你们了。',
  '请晚上六点以后给我回电话。',
  '我附上了快递单的照片。',
  '这已经是第二次了。',
  '我是用支付宝付的款。',
  '周末之前就要用，是生日礼物。',
  '是在手机应用上下的单。',
  '麻烦帮我查一下是什么问题。',
];
const ZH_CLOSE = ['谢谢！', '麻烦尽快回复。', '辛苦了。', '谢谢客服。', '等你们消息。'];
const ZH_FOLLOW = [
  '请问有进展了吗？',
  '还是没有人回复我。',
  '谢谢，已经解决了。',
  '包裹今天终于到了。',
  '可以给我发一个退货标签吗？',
  '有没有电话可以直接打？',
  '好的，我等换货。',
  '退款还没有到账。',
];
const ZH_AGENT = [
  '感谢您的耐心，我正在为您查询订单。',
  '非常抱歉给您带来不便，已经为您全额退款，预计三到五个工作日到账。',
  '退货标签已经发送到您的邮箱。',
  '换货已经发出，新的物流单号已发送给您。',
  '账号已经解锁，请在登录页面重新设置密码。',
  '已经为您手动使用优惠券并退还差价。',
  '麻烦您拍一张商品破损的照片，我们向快递公司索赔。',
  '您的会员订阅已经取消，之后不会再扣费。',
];

/** What agents type into the search box: words and phrases of the seeded texts, and some that match nothing. */
export const SEARCH_VOCABULARY = {
  english: [
    'refund',
    'charged twice',
    'tracking number',
    'password',
    'coupon',
    'damaged',
    'subscription',
    'invoice',
    'confirmation email',
    'headphones',
    'blue jacket',
    'gift card',
    'loyalty points',
    'courier',
    'return label',
    'replacement',
    'birthday present',
    'shipping address',
    'wrong size',
    'installation appointment',
    'warranty',
    'discount',
  ],
  chinese: [
    '退款',
    '扣了两次款',
    '物流单号',
    '密码',
    '优惠券',
    '破损',
    '会员订阅',
    '发票',
    '快递',
    '耳机',
    '外套',
    '礼品卡',
    '积分',
    '退货标签',
    '换货',
    '收货地址',
    '闪退',
    '生日礼物',
    '保修',
  ],
};
/** The order number conversation i talks about (A + six digits), as the seed writes it. */
export function orderNumber(i: number): string {
  return `A${String((i * 7919) % 1_000_000).padStart(6, '0')}`;
}

export interface SeedSize {
  conversations: number;
  messagesPerConversation: number;
}

/** customerOf and whether conversation c may be unresolved (its customer's newest), in SQL over `c`. */
function shapeSql(shape: InboxShape): { customer: string; mayBeActive: string } {
  const { conversations: n, whales: w, regulars: r } = shape;
  const d = Math.ceil(n / 50);
  return {
    customer: `(CASE WHEN c % 50 = 0 THEN (c / 50) % ${w} ELSE ${w} + c % ${r} END)`,
    mayBeActive: `(CASE WHEN c % 50 = 0 THEN c / 50 >= ${d - w} ELSE c >= ${n - r} END)`,
  };
}

const uid = (prefix: string, v: string) =>
  `overlay(overlay(md5('${prefix}' || ${v}) placing '4' from 13) placing '8' from 17)::uuid`;

/** An element of a text[] parameter chosen by conversation c and message j (c / 5 so language and pick are independent). */
const pick = (arr: string, salt: number, mod: string) =>
  `(${arr})[1 + ((c / 5 * ${salt} + j * 31 + ${mod}) % array_length(${arr}, 1))]`;

export async function seedInbox(
  db: Client,
  size: SeedSize,
  log: (line: string) => void,
): Promise<void> {
  const n = size.conversations;
  const per = size.messagesPerConversation;
  const shape = inboxShape(n);
  const sql = shapeSql(shape);
  await db.query(`SET maintenance_work_mem = '256MB'`);
  await db.query(`SET synchronous_commit = off`);
  const dropped = (
    await db.query(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i
     WHERE i.schemaname = 'public' AND i.tablename IN ('messages', 'conversations', 'customers', 'customer_identities')
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)`,
    )
  ).rows as Array<{ indexname: string; indexdef: string }>;
  for (const ix of dropped) await db.query(`DROP INDEX ${ix.indexname}`);

  let t = Date.now();
  await db.query(
    `INSERT INTO customers (id, display_name, locale, timezone, created_at)
     SELECT ${uid('cu', 'g')},
            CASE WHEN g % 5 < 2 THEN ($1::text[])[1 + g % array_length($1::text[], 1)] || ($2::text[])[1 + (g / 7) % array_length($2::text[], 1)]
                 ELSE ($3::text[])[1 + g % array_length($3::text[], 1)] || ' ' || ($4::text[])[1 + (g / 5) % array_length($4::text[], 1)] END,
            CASE WHEN g % 5 < 2 THEN 'zh-CN' ELSE 'en' END,
            CASE WHEN g % 5 < 2 THEN 'Asia/Shanghai' ELSE 'Europe/London' END,
            now() - interval '120 days'
     FROM generate_series(0, $5::int - 1) g`,
    [ZH_SURNAME, ZH_GIVEN, EN_FIRST, EN_LAST, shape.customers],
  );
  await db.query(
    `INSERT INTO customer_identities (customer_id, kind, channel, address)
     SELECT ${uid('cu', 'g')},
            CASE WHEN g % 5 < 2 THEN 'phone' ELSE 'email' END,
            CASE WHEN g % 5 < 2 THEN 'sms' ELSE 'email' END,
            CASE WHEN g % 5 < 2 THEN '+86138' || lpad(g::text, 8, '0') ELSE 'customer' || g || '@example.com' END
     FROM generate_series(0, $1::int - 1) g`,
    [shape.customers],
  );
  await db.query(
    `INSERT INTO teams (id, name) SELECT ${uid('tm', 't')}, 'Team ' || t FROM generate_series(0, ${TEAMS - 1}) t`,
  );
  log(
    `  customers + identities: ${shape.customers} (${shape.whales} with ${n / 50 / shape.whales} conversations each) in ${Date.now() - t} ms`,
  );

  // Conversation c's messages are spread over the 120 minutes before its last message; conversations
  // are spaced 77 s apart, so the newest is now and the oldest about 89 days ago. Status and priority
  // are hashed from c so they do not correlate with language or text; messages go in in time order.
  t = Date.now();
  await db.query(
    `INSERT INTO conversations (id, customer_id, team_id, status, priority, last_channel, last_inbound_channel, last_message_at,
                                last_message_preview, tags, first_response_at, resolved_at, created_at, updated_at)
     SELECT ${uid('cv', 'c')}, ${uid('cu', sql.customer)},
            CASE WHEN h % 10 = 9 THEN NULL ELSE ${uid('tm', `(h / 10) % ${TEAMS}`)} END,
            CASE WHEN NOT ${sql.mayBeActive} THEN 'resolved' WHEN h % 20 < 6 THEN 'open' WHEN h % 20 < 8 THEN 'pending' WHEN h % 20 = 8 THEN 'snoozed' ELSE 'resolved' END,
            CASE WHEN h % 50 = 0 THEN 'critical' WHEN h % 10 = 1 THEN 'high' WHEN h % 17 = 2 THEN 'low' ELSE 'normal' END,
            ch, ch, at, 'last message of conversation ' || c,
            CASE WHEN c % 7 = 0 THEN '{vip}'::text[] WHEN c % 11 = 0 THEN '{billing}'::text[] ELSE '{}'::text[] END,
            at - interval '100 minutes',
            CASE WHEN h % 20 >= 9 OR NOT ${sql.mayBeActive} THEN at + interval '1 hour' END,
            at - interval '120 minutes', at
     FROM (SELECT c, abs(hashint4(c)) AS h,
                  now() - ($1::int - 1 - c) * interval '77 seconds' AS at,
                  CASE WHEN c % 5 < 2 THEN (ARRAY['wechat','sms','wechat','livechat'])[1 + c % 4]
                       ELSE (ARRAY['email','livechat','sms','email','voice'])[1 + c % 5] END AS ch
           FROM generate_series(0, $1::int - 1) c) s`,
    [n],
  );
  log(`  conversations: ${n} in ${Date.now() - t} ms`);

  t = Date.now();
  await ensureMonthPartitions(
    db,
    'messages',
    new Date(Date.now() - ((n - 1) * 77 + (per - 1) * 720) * 1000),
  );
  const batch = 100_000;
  for (let from = 0; from < n * per; from += batch) {
    const to = Math.min(n * per, from + batch) - 1;
    await db.query(
      `INSERT INTO messages (customer_id, conversation_id, direction, kind, channel, status, text, address, created_at, updated_at)
       SELECT ${uid('cu', sql.customer)}, ${uid('cv', 'c')},
              CASE WHEN j % 2 = 0 THEN 'inbound' ELSE 'outbound' END, 'message', ch, 'delivered', txt, NULL, at, at
       FROM (SELECT c, j,
                    now() - ($1::int - 1 - c) * interval '77 seconds' - (${per} - 1 - j) * interval '12 minutes' AS at,
                    CASE WHEN c % 5 < 2 THEN (ARRAY['wechat','sms','wechat','livechat'])[1 + c % 4]
                         ELSE (ARRAY['email','livechat','sms','email','voice'])[1 + c % 5] END AS ch,
                    CASE WHEN c % 5 < 2 THEN
                      CASE WHEN j = 0 THEN ${pick('$2::text[]', 3, '0')} || ${pick('$3::text[]', 1, '0')} || '，订单号 ' || o || '。' || ${pick('$4::text[]', 7, '1')} || ${pick('$5::text[]', 11, '2')}
                           WHEN j % 2 = 0 THEN ${pick('$6::text[]', 13, '3')}
                           ELSE ${pick('$7::text[]', 17, '4')} END
                    ELSE
                      CASE WHEN j = 0 THEN ${pick('$8::text[]', 3, '0')} || ' ' || ${pick('$9::text[]', 1, '0')} || ' (order ' || o || '). ' || ${pick('$10::text[]', 7, '1')} || ' ' || ${pick('$11::text[]', 11, '2')}
                           WHEN j % 2 = 0 THEN ${pick('$12::text[]', 13, '3')}
                           ELSE ${pick('$13::text[]', 17, '4')} END
                    END AS txt
             FROM (SELECT g / ${per} AS c, g % ${per} AS j,
                          'A' || lpad(((g / ${per})::bigint * 7919 % 1000000)::text, 6, '0') AS o
                   FROM generate_series($14::int, $15::int) g) ids) s
       ORDER BY at`,
      [
        n,
        ZH_OPEN,
        ZH_ISSUE,
        ZH_DETAIL,
        ZH_CLOSE,
        ZH_FOLLOW,
        ZH_AGENT,
        EN_OPEN,
        EN_ISSUE,
        EN_DETAIL,
        EN_CLOSE,
        EN_FOLLOW,
        EN_AGENT,
        from,
        to,
      ],
    );
  }
  log(`  messages: ${n * per} in ${Date.now() - t} ms`);

  t = Date.now();
  // A partitioned table's index reads `ON ONLY` (the parent alone); rebuilt for every partition.
  for (const ix of dropped) await db.query(ix.indexdef.replace(' ON ONLY ', ' ON '));
  log(`  ${dropped.length} indexes rebuilt in ${Date.now() - t} ms`);
  t = Date.now();
  await db.query(`VACUUM ANALYZE customers, customer_identities, conversations, messages`);
  // Flush the load now rather than in a checkpoint during the measurements.
  await db.query(`CHECKPOINT`);
  log(`  vacuum analyze + checkpoint in ${Date.now() - t} ms`);
}
