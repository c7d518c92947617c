import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { CrisisService } from '../../src/campaigns/crisis/crisis.service';
import { startFakeTwilio, type FakeTwilio, type FakeTwilioOptions } from '../support/fake-twilio';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

/**
 * Crisis broadcast (issue 19): its own route and kind, a launch that repeats the broadcast's
 * name, live reach by channel and fallback hop, and the proof of notice: every attempt of
 * every recipient, with its receipts and the consent entry or legal basis it rests on.
 *
 * SMS and voice go through the fake Twilio (the test answers the SMS status callbacks; calls
 * stay queued), e-mail through the sandbox (delivered at once). Critical ranking: sms, voice,
 * email; fallback n after 4n s when not delivered; the read check is far off, so a delivered
 * message stays the last hop. Bob: sms undelivered -> voice (no answer) -> email delivered.
 * Dan opted out of SMS: voice -> email.
 */
const ACCOUNT_SID = `AC${'5e6f7a8b'.repeat(4)}`;
const AUTH_TOKEN = 'fake-auth-token-crisis';
const PUBLIC_URL = 'http://public.example.test';
const FROM = '+15005550006';
const PHONE = { bob: '+8613900003301', cai: '+8613900003302', dan: '+8613900003303' };
const NAME = 'Flood warning 洪水预警';

let app: TestApp;
let fake: FakeTwilio;
let db: DataSource;
let supervisor: { id: string; token: string };
let marketer: string;
let agent: string;
const ids: Record<'ann' | 'bob' | 'cai' | 'dan' | 'eve', string> = {
  ann: '',
  bob: '',
  cai: '',
  dan: '',
  eve: '',
};
let annConsent = '';
let bobEmailConsent = '';
let campaignId = '';

async function customer(
  name: string,
  identities: Array<{ channel: 'email' | 'sms'; address: string }>,
): Promise<string> {
  const r = await app.api('POST', '/api/v1/customers', {
    displayName: name,
    identities,
    tags: ['flood'],
  });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

async function consent(id: string, channel: string, status: 'granted' | 'revoked') {
  const r = await app.api('POST', `/api/v1/customers/${id}/consents`, {
    channel,
    purpose: 'service',
    status,
    source: 'crisis test',
  });
  expect(r.status).toBe(201);
  const [row] = (await db.query(
    `SELECT id FROM consents WHERE customer_id = $1 AND channel = $2 ORDER BY seq DESC LIMIT 1`,
    [id, channel],
  )) as Array<{ id: string }>;
  return row.id;
}

const crisisBody = {
  name: NAME,
  segment: { tags: ['flood'] },
  template: 'service-alert',
  legalBasis: 'vital_interest',
  data: {
    alert: {
      title: 'Flood',
      summary: 'Move to higher ground.',
      statusUrl: 'https://status.example.com/flood',
    },
  },
};

beforeAll(async () => {
  const options: FakeTwilioOptions = {
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    publicUrl: PUBLIC_URL,
  };
  fake = await startFakeTwilio(options);
  app = await startTestApp({
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_FROM: FROM,
    TWILIO_API_BASE_URL: fake.url,
    PUBLIC_URL,
    // Long enough for the test to answer Cai's SMS as delivered before a voice fallback is due.
    FALLBACK_CRITICAL_SECONDS: '4',
    FALLBACK_CRITICAL_READ_SECONDS: '3600',
  });
  options.hubUrl = app.url;
  db = app.hub.app.get(DataSource);
  supervisor = await app.userToken('supervisor');
  marketer = (await app.userToken('marketer')).token;
  agent = (await app.userToken('agent')).token;

  ids.ann = await customer('Ann', [{ channel: 'email', address: 'ann.crisis@example.com' }]);
  ids.bob = await customer('Bob', [
    { channel: 'sms', address: PHONE.bob },
    { channel: 'email', address: 'bob.crisis@example.com' },
  ]);
  // A name a spreadsheet would run as a formula.
  ids.cai = await customer('=HYPERLINK("http://evil.example","Cai")', [
    { channel: 'sms', address: PHONE.cai },
  ]);
  ids.dan = await customer('Dan', [
    { channel: 'sms', address: PHONE.dan },
    { channel: 'email', address: 'dan.crisis@example.com' },
  ]);
  ids.eve = await customer('Eve', []);
  annConsent = await consent(ids.ann, 'email', 'granted');
  bobEmailConsent = await consent(ids.bob, 'email', 'granted');
  // Dan opted out of SMS: a crisis broadcast does not override an opt-out.
  await consent(ids.dan, 'sms', 'revoked');
});
afterAll(async () => {
  await app?.close();
  await fake?.stop();
});

describe('Crisis broadcast', () => {
  it('is created by admins and supervisors only, as a critical campaign of kind crisis', async () => {
    const byMarketer = await app.api('POST', '/api/v1/campaigns/crisis', crisisBody, marketer);
    expect(byMarketer.status).toBe(403);
    expect(byMarketer.body.message).toMatch(/needs one of the roles/);
    const noBasis = await app.api(
      'POST',
      '/api/v1/campaigns/crisis',
      { ...crisisBody, legalBasis: undefined },
      supervisor.token,
    );
    expect(noBasis.status).toBe(400);
    expect(noBasis.body.message).toContain('legalBasis');
    const r = await app.api('POST', '/api/v1/campaigns/crisis', crisisBody, supervisor.token);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      kind: 'crisis',
      urgency: 'critical',
      purpose: 'service',
      legalBasis: 'vital_interest',
      status: 'draft',
      confirmedBy: null,
    });
    campaignId = r.body.id as string;
    const list = await app.api('GET', '/api/v1/campaigns', undefined, marketer);
    expect(list.body.items.find((c: { id: string }) => c.id === campaignId)?.kind).toBe('crisis');
  });

  it('launches only when the launch repeats its name; who confirmed is recorded', async () => {
    const url = `/api/v1/campaigns/${campaignId}/launch`;
    const missing = await app.api('POST', url, {}, supervisor.token);
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain('confirm');
    const wrong = await app.api('POST', url, { confirm: 'Flood' }, supervisor.token);
    expect(wrong.status).toBe(409);
    expect(wrong.body.message).toContain('confirm');
    expect((await app.api('GET', `/api/v1/campaigns/${campaignId}`)).body.status).toBe('draft');
    // A marketer sends only marketing: the confirmation does not change that.
    const byMarketer = await app.api('POST', url, { confirm: NAME }, marketer);
    expect(byMarketer.status).toBe(403);

    const ok = await app.api('POST', url, { confirm: ` ${NAME} ` }, supervisor.token);
    expect(ok.status).toBe(202);
    expect(ok.body.confirmedBy).toBe(supervisor.id);
    expect(Date.parse(ok.body.confirmedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('shows the reach by channel and fallback hop while SMS receipts and fallbacks come in', async () => {
    // Bob's SMS is undelivered (his fallback goes by e-mail), Cai's delivered.
    const bobSms = await eventually(
      async () => fake.messages.find((m) => m.to === PHONE.bob),
      "Bob's SMS",
    );
    const caiSms = await eventually(
      async () => fake.messages.find((m) => m.to === PHONE.cai),
      "Cai's SMS",
    );
    for (const sid of [bobSms.sid, caiSms.sid])
      await eventually(async () => {
        const a = (await db.query(
          `SELECT 1 FROM delivery_attempts WHERE provider_message_id = $1`,
          [sid],
        )) as unknown[];
        return a.length > 0;
      }, 'the attempt row');
    expect((await fake.sendStatusCallback(caiSms.sid, 'delivered')).status).toBe(200);
    expect((await fake.sendStatusCallback(bobSms.sid, 'undelivered', 30003)).status).toBe(200);

    const reach = await eventually(
      async () => {
        const r = await app.api(
          'GET',
          `/api/v1/campaigns/${campaignId}/reach`,
          undefined,
          marketer,
        );
        expect(r.status).toBe(200);
        return r.body.reached === 4 ? r.body : null;
      },
      'every reachable recipient reached',
      30_000,
    );
    expect(reach).toMatchObject({ recipients: 5, sent: 4, suppressed: 1, acknowledged: 0 });
    const cell = (channel: string, hop: number) =>
      reach.cells.find(
        (c: { channel: string; hop: number }) => c.channel === channel && c.hop === hop,
      );
    expect(cell('email', 0)).toMatchObject({ attempted: 1, delivered: 1, failed: 0, pending: 0 });
    expect(cell('sms', 0)).toMatchObject({ attempted: 2, delivered: 1, failed: 1, pending: 0 });
    expect(cell('voice', 0)).toMatchObject({ attempted: 1, delivered: 0, pending: 1 });
    expect(cell('voice', 1)).toMatchObject({ attempted: 1, delivered: 0, pending: 1 });
    expect(cell('email', 1)).toMatchObject({ attempted: 1, delivered: 1, failed: 0, pending: 0 });
    expect(cell('email', 2)).toMatchObject({ attempted: 1, delivered: 1, failed: 0, pending: 0 });
    expect(reach.cells).toHaveLength(6);
    expect(reach.byHop).toEqual([
      expect.objectContaining({ hop: 0, attempted: 4, delivered: 2, failed: 1, pending: 1 }),
      expect.objectContaining({ hop: 1, attempted: 2, delivered: 1, pending: 1 }),
      expect.objectContaining({ hop: 2, attempted: 1, delivered: 1, pending: 0 }),
    ]);
    expect(reach.byChannel.email).toMatchObject({ attempted: 3, delivered: 3 });
    expect(reach.byChannel.voice).toMatchObject({ attempted: 2, pending: 2 });
    expect(fake.messages.some((m) => m.to === PHONE.dan)).toBe(false);

    expect(
      (await app.api('GET', `/api/v1/campaigns/${campaignId}/reach`, undefined, agent)).status,
    ).toBe(403);
  });

  it('exports the proof of notice: every attempt, its receipts and the basis used', async () => {
    expect(
      (
        await app.api(
          'GET',
          `/api/v1/campaigns/${campaignId}/proof-of-notice.csv`,
          undefined,
          marketer,
        )
      ).status,
    ).toBe(403);
    const res = await fetch(`${app.url}/api/v1/campaigns/${campaignId}/proof-of-notice.csv`, {
      headers: { authorization: `Bearer ${supervisor.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const bytes = Buffer.from(await res.arrayBuffer());
    // UTF-8 with a byte-order mark (Excel reads Chinese names).
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    const rows = parse(text, { columns: true }) as Array<Record<string, string>>;
    const of = (id: string) => rows.filter((r) => r.customer_id === id);

    const ann = of(ids.ann);
    expect(ann).toHaveLength(1);
    expect(ann[0]).toMatchObject({
      hop: '0',
      channel: 'email',
      address: 'a***@example.com',
      attempt_no: '1',
      attempt_status: 'delivered',
      legal_basis: 'consent',
      consent_entry_id: annConsent,
      consent_status: 'granted',
    });
    expect(ann[0].delivered_at).not.toBe('');

    const bob = of(ids.bob);
    expect(bob.map((r) => [r.hop, r.channel, r.attempt_status, r.legal_basis])).toEqual([
      ['0', 'sms', 'undelivered', 'vital_interest'],
      ['1', 'voice', 'queued', 'vital_interest'],
      ['2', 'email', 'delivered', 'consent'],
    ]);
    expect(bob[0]).toMatchObject({
      address: '139****3301',
      error_code: '30003',
      provider_message_id: expect.stringMatching(/^SM/),
      legal_basis: 'vital_interest',
      consent_entry_id: '',
    });
    expect(bob[0].failed_at).not.toBe('');
    expect(bob[1].fallback_reason).toMatch(/^fallback to voice: sms message/);
    expect(bob[1].provider_message_id).toMatch(/^CA/);
    expect(bob[2].fallback_reason).toMatch(/^fallback to email: voice message/);
    expect(bob[2]).toMatchObject({ consent_entry_id: bobEmailConsent, consent_status: 'granted' });
    expect(bob[2].delivered_at).not.toBe('');

    const cai = of(ids.cai);
    expect(cai).toHaveLength(1);
    expect(cai[0].customer_name).toBe('\'=HYPERLINK("http://evil.example","Cai")');
    expect(cai[0]).toMatchObject({ channel: 'sms', attempt_status: 'delivered' });
    expect(cai[0].delivered_at).not.toBe('');

    // Dan revoked SMS: the stated basis does not override it; voice, then e-mail.
    const dan = of(ids.dan);
    expect(dan.map((r) => [r.hop, r.channel, r.legal_basis])).toEqual([
      ['0', 'voice', 'vital_interest'],
      ['1', 'email', 'vital_interest'],
    ]);

    const eve = of(ids.eve);
    expect(eve).toHaveLength(1);
    expect(eve[0]).toMatchObject({ channel: '', attempt_no: '', legal_basis: '' });
    expect(eve[0].suppression).toContain('noChannel');
    expect(rows).toHaveLength(8);

    // Streamed page by page: two recipients a page give the same rows.
    const service = app.hub.app.get(CrisisService);
    service.noticePage = 2;
    try {
      const paged = await fetch(`${app.url}/api/v1/campaigns/${campaignId}/proof-of-notice.csv`, {
        headers: { authorization: `Bearer ${supervisor.token}` },
      });
      expect(
        Buffer.from(await paged.arrayBuffer())
          .subarray(3)
          .toString('utf8'),
      ).toBe(text);
    } finally {
      service.noticePage = 500;
    }

    // Full addresses on request, and each export is audited with its mode.
    const full = await fetch(
      `${app.url}/api/v1/campaigns/${campaignId}/proof-of-notice.csv?address=full`,
      { headers: { authorization: `Bearer ${supervisor.token}` } },
    );
    const fullRows = parse((await full.text()).slice(1), { columns: true }) as Array<
      Record<string, string>
    >;
    // A leading + is escaped like any formula start (csv.ts).
    expect(fullRows.find((r) => r.customer_id === ids.bob)?.address).toBe(`'${PHONE.bob}`);
    const audits = (await db.query(
      `SELECT details FROM audit_log WHERE action = 'campaign.proof_of_notice' AND entity_id = $1 ORDER BY created_at`,
      [campaignId],
    )) as Array<{ details: { address: string } }>;
    expect(audits.map((a) => a.details.address)).toEqual(['masked', 'masked', 'full']);
  });
});
