/**
 * Renders per second through TemplateEngine against raw Handlebars (compile of the same
 * sources with strict: true, as the engine does, same data, same helpers) in the same run. The engine adds locale/variant
 * resolution, strict checks, layouts, email text alternatives and SMS segment counting.
 * Run: node --require ./bench/lib/swc-register.js bench/render.ts
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import Handlebars from 'handlebars';
import type { Channel } from '../src/common/names';
import { parseFrontMatter } from '../src/templates/front-matter';
import { registerFormatHelpers } from '../src/templates/format-helpers';
import { TemplateEngine } from '../src/templates';
import { report, round } from './lib/report';

const root = join(__dirname, '../templates');
const engine = new TemplateEngine({ directory: root });
const data = {
  customer: { name: 'Ada' },
  order: {
    id: 'A-1001',
    total: 1234.5,
    currency: 'CNY',
    carrier: 'SF',
    shippedAt: '2025-03-10T04:00:00Z',
    trackingUrl: 'https://t.example/A',
  },
  alert: { title: 'Outage', summary: 'Payments are delayed.', statusUrl: 'https://status.example' },
  text: 'Thanks for waiting, your refund is on its way.',
  subject: 'Re: refund',
};
const cases: { key: string; channel: Channel; locale: string }[] = [
  { key: 'order-shipped', channel: 'sms', locale: 'en' },
  { key: 'order-shipped', channel: 'sms', locale: 'zh-CN' },
  { key: 'order-shipped', channel: 'wechat', locale: 'en' },
  { key: 'order-shipped', channel: 'voice', locale: 'zh-CN' },
  { key: 'service-alert', channel: 'sms', locale: 'zh-CN' },
  { key: 'agent-reply', channel: 'livechat', locale: 'en' },
  { key: 'order-shipped', channel: 'email', locale: 'en' },
];

const raw = Handlebars.create();
registerFormatHelpers(raw);
raw.registerPartial('signature', readFileSync(join(root, '_partials/signature.hbs'), 'utf8'));
const rawLayout = raw.compile(readFileSync(join(root, '_layouts/email.hbs'), 'utf8'), {
  strict: true,
});
const rawTemplates = cases.map((c) => {
  const file = parseFrontMatter(
    readFileSync(join(root, c.key, `${c.channel}.${c.locale}.hbs`), 'utf8'),
  );
  return {
    body: raw.compile(file.body, { strict: true, noEscape: c.channel !== 'email' }),
    subject:
      file.fields.subject === undefined
        ? null
        : raw.compile(file.fields.subject, { strict: true, noEscape: true }),
  };
});

let sink = 0;
/**
 * CPU seconds of this process (user + system), not wall time: on a shared machine a block
 * descheduled by another process would otherwise count that wait against one side.
 */
function elapsed(fn: (i: number) => number, from: number, count: number): number {
  const start = process.cpuUsage();
  for (let i = from; i < from + count; i++) sink += fn(i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}
function viaEngine(i: number): number {
  const c = cases[i % cases.length];
  return engine.render(c.key, c.channel, { locale: c.locale, data }).text.length;
}
function viaRaw(i: number): number {
  const k = i % cases.length;
  const t = rawTemplates[k];
  const runtime = { data: { locale: cases[k].locale, timezone: 'UTC' } };
  const subject = t.subject === null ? '' : t.subject(data, runtime);
  const body = t.body(data, runtime);
  return (
    (cases[k].channel === 'email' ? rawLayout({ body, subject }, runtime) : body).length +
    subject.length
  );
}

/**
 * The machine is shared, so engine and raw run in alternating blocks of BLOCK iterations and
 * each side's time is summed: a burst of outside load hits both sides alike.
 */
const BLOCK = 700;
function compare(
  engineFn: (i: number) => number,
  rawFn: (i: number) => number,
  iterations: number,
) {
  let engineSeconds = 0;
  let rawSeconds = 0;
  for (let done = 0; done < iterations; done += BLOCK) {
    engineSeconds += elapsed(engineFn, done, BLOCK);
    rawSeconds += elapsed(rawFn, done, BLOCK);
  }
  const count = Math.ceil(iterations / BLOCK) * BLOCK;
  return {
    engine: count / engineSeconds,
    raw: count / rawSeconds,
    ratio: rawSeconds / engineSeconds,
  };
}

const ITER = 70_000;
compare(viaEngine, viaRaw, ITER / 5);
const perChannel: string[] = [];
for (const [k, c] of cases.entries()) {
  const only = (fn: (i: number) => number) => () => fn(k);
  const r = compare(only(viaEngine), only(viaRaw), 7_000);
  perChannel.push(
    `  ${c.key}/${c.channel}.${c.locale}: engine ${Math.round(r.engine)}/s raw ${Math.round(r.raw)}/s ratio ${round(r.ratio, 3)}`,
  );
}
const mixed = compare(viaEngine, viaRaw, ITER);
const plainCases = cases.length - 1;
const plain = compare(
  (i) => viaEngine(i % plainCases),
  (i) => viaRaw(i % plainCases),
  ITER,
);
report(
  'render',
  {
    rendersPerSec: Math.round(mixed.engine),
    rawPerSec: Math.round(mixed.raw),
    ratio: round(mixed.ratio, 3),
    ratioWithoutEmail: round(plain.ratio, 3),
    target: 0.6,
  },
  [
    `render: mix of ${cases.length} real templates (1 in ${cases.length} is email with an html-to-text alternative); raw = Handlebars.compile(source, {strict: true}), same data and helpers; alternating blocks of ${BLOCK}, CPU time (sink ${sink})`,
    ...perChannel,
  ],
);
