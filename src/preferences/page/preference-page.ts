/** The preference centre page: pure, from a model the service loads. */
import { CHANNELS, URGENCIES, type ConsentStatus, type Purpose } from '../../common/names';
import {
  channelName,
  localTime,
  purposeName,
  topicName,
  urgencyName,
} from '../../customer-texts/route-explanations';
import { t, type Language } from '../../customer-texts/catalog';
import { esc, pageShell } from './html';

export interface MatrixRowView {
  topic: string;
  urgency: string;
  channels: readonly string[];
}

export interface ConsentView {
  channel: string;
  purposes: Array<{ purpose: Purpose; status: ConsentStatus | null; locked: boolean }>;
}

export interface AddressView {
  kind: string;
  channels: readonly string[];
  masked: string;
  status: string;
}

export interface SentView {
  createdAt: Date;
  channel: string;
  lines: string[];
}

export interface PreferencePageModel {
  lang: Language;
  token: string;
  displayName: string;
  expiresAt: Date;
  timezone: string;
  matrix: MatrixRowView[];
  quietHours: { start: string; end: string } | null;
  consent: ConsentView[];
  addresses: AddressView[];
  messages: SentView[];
  flash: string | null;
  timeZones: readonly string[];
}

const TOPIC_SUGGESTIONS = ['orders', 'shipping', 'appointments', 'account', 'billing', 'marketing'];

function hidden(name: string, value: string): string {
  return `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`;
}

function options(values: readonly string[], selected: string, label: (v: string) => string) {
  return values
    .map(
      (v) =>
        `<option value="${esc(v)}"${v === selected ? ' selected' : ''}>${esc(label(v))}</option>`,
    )
    .join('');
}

/** "SMS, then e-mail" */
export function channelList(lang: Language, channels: readonly string[]): string {
  return channels.map((c) => channelName(lang, c)).join(t(lang, 'matrix.then'));
}

function channelSelects(lang: Language, chosen: readonly string[], idPrefix: string): string {
  const labels = ['matrix.first', 'matrix.second', 'matrix.third'] as const;
  return labels
    .map((key, i) => {
      const id = `${idPrefix}-c${i + 1}`;
      const values = i === 0 ? [...CHANNELS] : ['', ...CHANNELS];
      const label = (v: string) => (v === '' ? t(lang, 'matrix.none') : channelName(lang, v));
      return `<label for="${id}">${esc(t(lang, key))}<select id="${id}" name="channel${i + 1}">${options(values, chosen[i] ?? '', label)}</select></label>`;
    })
    .join('');
}

function urgencySelect(lang: Language, selected: string, id: string): string {
  return `<label for="${id}">${esc(t(lang, 'matrix.urgency'))}<select id="${id}" name="urgency">${options(['*', ...URGENCIES], selected, (u) => urgencyName(lang, u))}</select></label>`;
}

function matrixSection(m: PreferencePageModel): string {
  const { lang } = m;
  const rows = m.matrix
    .map((row, i) => {
      const words = t(lang, 'matrix.row', {
        topic: topicName(lang, row.topic),
        urgency: urgencyName(lang, row.urgency),
        channels: channelList(lang, row.channels),
      });
      return `<li data-testid="matrix-row"><p>${esc(words)}</p>
<form method="post" action="${esc(m.token)}/matrix">${hidden('lang', lang)}${hidden('row', String(i))}${hidden('was', `${row.topic}|${row.urgency}`)}${hidden('topic', row.topic)}
<div class="grid">${urgencySelect(lang, row.urgency, `r${i}-u`)}${channelSelects(lang, row.channels, `r${i}`)}</div>
<div class="actions"><button type="submit" name="action" value="save">${esc(t(lang, 'matrix.save'))}</button><button type="submit" class="secondary" name="action" value="remove">${esc(t(lang, 'matrix.remove'))}</button></div>
</form></li>`;
    })
    .join('');
  const list = rows
    ? `<ul class="plain">${rows}</ul>`
    : `<p class="muted">${esc(t(lang, 'matrix.empty'))}</p>`;
  const suggestions = TOPIC_SUGGESTIONS.map(
    (s) => `<option value="${esc(s)}">${esc(topicName(lang, s))}</option>`,
  ).join('');
  return `<section aria-labelledby="matrix-title"><h2 id="matrix-title">${esc(t(lang, 'matrix.title'))}</h2>
<p class="muted">${esc(t(lang, 'matrix.help'))}</p>
${list}
<form method="post" action="${esc(m.token)}/matrix" data-testid="matrix-add"><fieldset><legend>${esc(t(lang, 'matrix.add'))}</legend>${hidden('lang', lang)}${hidden('action', 'add')}
<label for="add-topic">${esc(t(lang, 'matrix.topic'))}<input type="text" id="add-topic" name="topic" list="topics" maxlength="64" required autocomplete="off"></label>
<datalist id="topics">${suggestions}</datalist>
<div class="grid">${urgencySelect(lang, '*', 'add-u')}${channelSelects(lang, [], 'add')}</div>
<div class="actions"><button type="submit">${esc(t(lang, 'matrix.addButton'))}</button></div></fieldset></form>
</section>`;
}

function quietSection(m: PreferencePageModel): string {
  const { lang } = m;
  const q = m.quietHours;
  const now = q
    ? t(lang, 'quiet.current', { start: q.start, end: q.end, timezone: m.timezone })
    : t(lang, 'quiet.none', { timezone: m.timezone });
  const zones = m.timeZones.includes(m.timezone) ? m.timeZones : [m.timezone, ...m.timeZones];
  return `<section aria-labelledby="quiet-title"><h2 id="quiet-title">${esc(t(lang, 'quiet.title'))}</h2>
<p class="muted">${esc(t(lang, 'quiet.help'))}</p>
<p class="status" data-testid="quiet-now">${esc(now)}</p>
<form method="post" action="${esc(m.token)}/quiet-hours">${hidden('lang', lang)}
<div class="grid"><label for="quiet-start">${esc(t(lang, 'quiet.start'))}<input type="time" id="quiet-start" name="quietStart" value="${esc(q?.start ?? '22:00')}"></label>
<label for="quiet-end">${esc(t(lang, 'quiet.end'))}<input type="time" id="quiet-end" name="quietEnd" value="${esc(q?.end ?? '08:00')}"></label></div>
<label class="check" for="quiet-off"><input type="checkbox" id="quiet-off" name="off" value="1"${q ? '' : ' checked'}>${esc(t(lang, 'quiet.off'))}</label>
<label for="quiet-tz">${esc(t(lang, 'quiet.timezone'))}<select id="quiet-tz" name="timezone">${options(zones, m.timezone, (z) => z)}</select></label>
<div class="actions"><button type="submit">${esc(t(lang, 'quiet.save'))}</button></div>
</form></section>`;
}

function consentButton(
  m: PreferencePageModel,
  channel: string,
  p: ConsentView['purposes'][number],
) {
  const { lang } = m;
  const target = p.status === 'granted' ? 'revoked' : 'granted';
  // Always on: nothing to switch off, and nothing to grant unless it was revoked (by staff).
  if (p.locked && p.status !== 'revoked') return '';
  const label =
    target === 'revoked'
      ? t(lang, 'consent.revoke')
      : p.status === 'revoked'
        ? t(lang, 'consent.resubscribe')
        : t(lang, 'consent.grant');
  return `<form method="post" action="${esc(m.token)}/consent">${hidden('lang', lang)}${hidden('channel', channel)}${hidden('purpose', p.purpose)}${hidden('status', target)}<button type="submit"${target === 'revoked' ? ' class="secondary"' : ''} data-testid="consent-${esc(channel)}-${p.purpose}">${esc(label)}</button></form>`;
}

function consentSection(m: PreferencePageModel): string {
  const { lang } = m;
  const body =
    m.consent.length === 0
      ? `<p class="muted">${esc(t(lang, 'consent.noChannels'))}</p>`
      : m.consent
          .map((c) => {
            const items = c.purposes
              .map((p) => {
                const state =
                  p.locked && p.status !== 'revoked'
                    ? t(lang, 'consent.locked')
                    : t(
                        lang,
                        p.status === 'granted'
                          ? 'consent.granted'
                          : p.status === 'revoked'
                            ? 'consent.revoked'
                            : 'consent.unset',
                      );
                return `<li data-testid="consent-state-${esc(c.channel)}-${p.purpose}"><span>${esc(purposeName(lang, p.purpose))}</span>: <span class="status">${esc(state)}</span>${consentButton(m, c.channel, p)}</li>`;
              })
              .join('');
            return `<h3>${esc(channelName(lang, c.channel))}</h3><ul class="plain">${items}</ul>`;
          })
          .join('');
  return `<section aria-labelledby="consent-title"><h2 id="consent-title">${esc(t(lang, 'consent.title'))}</h2>
<p class="muted">${esc(t(lang, 'consent.help'))}</p>${body}
<p class="muted">${esc(t(lang, 'page.critical'))}</p></section>`;
}

function addressSection(m: PreferencePageModel): string {
  const { lang } = m;
  const items = m.addresses
    .map((a) => {
      const status = `addresses.status.${a.status}`;
      const said =
        status === 'addresses.status.active' ||
        status === 'addresses.status.undeliverable' ||
        status === 'addresses.status.bounced'
          ? t(lang, status)
          : a.status;
      const channels = a.channels.map((c) => channelName(lang, c)).join(' / ');
      return `<li><span>${esc(channels)}</span>: <span data-testid="address">${esc(a.masked)}</span> <span class="muted">(${esc(said)})</span></li>`;
    })
    .join('');
  return `<section aria-labelledby="addresses-title"><h2 id="addresses-title">${esc(t(lang, 'addresses.title'))}</h2>
${items ? `<ul class="plain">${items}</ul>` : `<p class="muted">${esc(t(lang, 'addresses.none'))}</p>`}</section>`;
}

function whySection(m: PreferencePageModel): string {
  const { lang } = m;
  const items = m.messages
    .map(
      (s) =>
        `<li data-testid="why-item"><p class="status">${esc(t(lang, 'why.sentBy', { date: localTime(lang, s.createdAt, m.timezone), channel: channelName(lang, s.channel) }))}</p>${s.lines.map((l) => `<p>${esc(l)}</p>`).join('')}</li>`,
    )
    .join('');
  return `<section aria-labelledby="why-title"><h2 id="why-title">${esc(t(lang, 'why.title'))}</h2>
<p class="muted">${esc(t(lang, 'why.help'))}</p>
${items ? `<ul class="plain">${items}</ul>` : `<p class="muted">${esc(t(lang, 'why.none'))}</p>`}</section>`;
}

export function renderPreferencePage(m: PreferencePageModel): string {
  const { lang } = m;
  const flash = m.flash
    ? `<p class="flash" role="status" data-testid="flash">${esc(m.flash)}</p>`
    : '';
  const body = `<p>${esc(t(lang, 'page.greeting', { name: m.displayName }))}</p>
<p class="muted">${esc(t(lang, 'page.linkExpires', { date: localTime(lang, m.expiresAt, m.timezone) }))} ${esc(t(lang, 'page.noJs'))}</p>
${flash}
${consentSection(m)}
${quietSection(m)}
${matrixSection(m)}
${addressSection(m)}
${whySection(m)}`;
  return pageShell({
    lang,
    title: t(lang, 'page.title'),
    body,
    hrefOf: (l) => `?lang=${l}`,
  });
}
