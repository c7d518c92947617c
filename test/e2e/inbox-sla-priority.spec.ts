import { DataSource } from 'typeorm';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;
let db: DataSource;
let seq = 0;
const phone = () => `+861390024${String(1000 + ++seq).padStart(4, '0')}`;
const order = {
  id: 'A-2001',
  carrier: 'SF',
  trackingUrl: 'https://t.example/A',
  total: 12.5,
  currency: 'CNY',
  shippedAt: '2025-03-10T04:00:00Z',
};

async function smsIn(from: string, text: string) {
  const r = await app.api('POST', '/api/v1/sandbox/inbound', { channel: 'sms', from, text });
  expect(r.status).toBe(201);
  return r.body as {
    id: string;
    customerId: string;
    conversation: { id: string; customerId: string; priority: string };
  };
}

async function slaJobs(conversationId: string, kind = 'first_response') {
  return (await db.query(
    `SELECT dedupe_key, status, last_error, run_at FROM outbox_jobs WHERE dedupe_key LIKE $1 ORDER BY created_at, id`,
    [`sla:${conversationId}:${kind}:%`],
  )) as Array<{ dedupe_key: string; status: string; last_error: string | null; run_at: Date }>;
}

async function view(id: string) {
  return (await app.api('GET', `/api/v1/conversations/${id}`)).body as {
    status: string;
    priority: string;
    messages: Array<{ kind: string; text: string }>;
  };
}

beforeAll(async () => {
  app = await startTestApp();
  db = app.hub.app.get(DataSource);
});
afterAll(async () => {
  await app?.close();
});

describe('SLA timers on reopening', () => {
  it('starts them again when a resolved conversation is reopened by a new message', async () => {
    const from = phone();
    const { conversation } = await smsIn(from, 'first question');
    expect(
      (
        await app.api('POST', `/api/v1/conversations/${conversation.id}/status`, {
          status: 'resolved',
        })
      ).status,
    ).toBe(200);
    expect(await slaJobs(conversation.id)).toEqual([]);

    // A policy that exists only for the second episode: its timer can come from the reopening alone.
    expect(
      (
        await app.api('POST', '/api/v1/sla-policies', {
          name: 'sms one second',
          channel: 'sms',
          firstResponseSeconds: 1,
        })
      ).status,
    ).toBe(201);
    const again = await smsIn(from, 'it broke again');
    expect(again.conversation.id).toBe(conversation.id);
    const events = await eventually(
      async () => {
        const e = (await view(conversation.id)).messages.filter((m) => m.kind === 'event');
        return e.length ? e : null;
      },
      'the breach of the reopened conversation',
      15_000,
    );
    expect(events).toHaveLength(1);
    expect(events[0].text).toContain('first response');
    expect(await slaJobs(conversation.id)).toHaveLength(1);
  });

  it('ends the cycle on snooze, starts a new one when reopened, and a reply stops it', async () => {
    expect(
      (
        await app.api('POST', '/api/v1/sla-policies', {
          name: 'wechat hour',
          channel: 'wechat',
          firstResponseSeconds: 3600,
          resolutionSeconds: 7200,
        })
      ).status,
    ).toBe(201);
    const wxid = `wxid_sla_${++seq}`;
    const r = await app.api('POST', '/api/v1/sandbox/inbound', {
      channel: 'wechat',
      from: wxid,
      text: 'hello',
    });
    const id = r.body.conversation.id as string;
    const first = await eventually(
      async () => ((await slaJobs(id)).length === 1 ? await slaJobs(id) : null),
      'the first cycle timer',
    );
    expect(first[0].status).toBe('pending');
    await eventually(
      async () => (await slaJobs(id, 'resolution')).length === 1,
      'the first cycle resolution timer',
    );

    const until = new Date(Date.now() + 3_600_000).toISOString();
    expect(
      (
        await app.api('POST', `/api/v1/conversations/${id}/status`, {
          status: 'snoozed',
          snoozeUntil: until,
        })
      ).status,
    ).toBe(200);
    // The two timers are cancelled one after the other: wait for both.
    await eventually(
      async () =>
        [...(await slaJobs(id)), ...(await slaJobs(id, 'resolution'))].every(
          (j) => j.last_error === 'cancelled',
        ),
      'the snooze to cancel the timers',
    );
    expect(await slaJobs(id, 'resolution')).toEqual([
      expect.objectContaining({ last_error: 'cancelled' }),
    ]);

    expect(
      (await app.api('POST', `/api/v1/conversations/${id}/status`, { status: 'open' })).status,
    ).toBe(200);
    const both = await eventually(
      async () => ((await slaJobs(id)).length === 2 ? await slaJobs(id) : null),
      'a second cycle timer',
    );
    expect(both[1].dedupe_key).not.toBe(both[0].dedupe_key);
    expect(both[1].status).toBe('pending');
    expect(new Date(both[1].run_at).getTime()).toBeGreaterThan(new Date(both[0].run_at).getTime());
    // The resolution timer of the new cycle is written after the first-response one.
    await eventually(
      async () => (await slaJobs(id, 'resolution')).length === 2,
      'a second cycle resolution timer',
    );

    // Another message while open keeps the running cycle.
    expect(
      (
        await app.api('POST', '/api/v1/sandbox/inbound', {
          channel: 'wechat',
          from: wxid,
          text: 'still there?',
        })
      ).status,
    ).toBe(201);
    expect(
      (await app.api('POST', `/api/v1/conversations/${id}/replies`, { text: 'Yes, looking at it' }))
        .status,
    ).toBe(202);
    await eventually(
      async () => (await slaJobs(id))[1].last_error === 'cancelled',
      'the reply to stop the first-response timer',
    );
    expect(await slaJobs(id)).toHaveLength(2);
    expect((await slaJobs(id, 'resolution'))[1].status).toBe('pending');
  });
});

describe('Priority from urgency', () => {
  it('follows the most urgent message: a routed high notice raises the open conversation, a normal one does not lower it', async () => {
    const from = phone();
    const { conversation, customerId } = await smsIn(from, 'where is my parcel');
    expect(conversation.priority).toBe('normal');
    const send = (urgency: string) =>
      app.api('POST', '/api/v1/messages', {
        customerId,
        topic: 'orders',
        urgency,
        purpose: 'transactional',
        template: 'order-shipped',
        data: { order },
      });
    expect((await send('high')).status).toBe(202);
    await eventually(
      async () => (await view(conversation.id)).priority === 'high',
      'the conversation to become high',
    );
    expect((await send('normal')).status).toBe(202);
    await smsIn(from, 'any news?');
    expect((await view(conversation.id)).priority).toBe('high');
  });

  it('raises a lowered conversation back to normal on an inbound message, and opens at the urgency of a recent notice', async () => {
    const from = phone();
    const { conversation, customerId } = await smsIn(from, 'small question');
    expect(
      (
        await app.api('POST', `/api/v1/conversations/${conversation.id}/priority`, {
          priority: 'low',
        })
      ).status,
    ).toBe(200);
    await smsIn(from, 'another small question');
    await eventually(
      async () => (await view(conversation.id)).priority === 'normal',
      'the inbound message to raise it to normal',
    );

    expect(
      (
        await app.api('POST', `/api/v1/conversations/${conversation.id}/status`, {
          status: 'resolved',
        })
      ).status,
    ).toBe(200);
    // Past the reopen window the next message opens a new conversation; the notice before it was critical.
    await db.query(
      `UPDATE conversations SET resolved_at = now() - interval '30 days' WHERE id = $1`,
      [conversation.id],
    );
    const crisis = await app.api('POST', '/api/v1/messages', {
      customerId,
      topic: 'orders',
      urgency: 'critical',
      purpose: 'transactional',
      template: 'order-shipped',
      data: { order },
    });
    expect(crisis.status).toBe(202);
    const reply = await smsIn(from, 'what happened?');
    expect(reply.conversation.id).not.toBe(conversation.id);
    await eventually(
      async () => (await view(reply.conversation.id)).priority === 'critical',
      'the new conversation to open as critical',
    );
  });
});
