import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import { CircuitBreaker } from '../../src/routing/circuit-breaker';
import { orderShippedIntent } from '../support/intents';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

// The sandbox sms provider fails every send (transient); three failures open its circuit.
describe(CircuitBreaker.name, () => {
  let app: TestApp;
  let db: DataSource;
  let breaker: CircuitBreaker;

  beforeAll(async () => {
    app = await startTestApp({
      SANDBOX_BEHAVIOUR: 'sms=fail',
      CIRCUIT_FAILURES: '3',
      CIRCUIT_COOLDOWN_SECONDS: '600',
    });
    db = app.hub.app.get(DataSource);
    breaker = app.hub.app.get(CircuitBreaker);
  });
  afterAll(() => app.close());

  const intent = (customerId: string, n: number) => orderShippedIntent(customerId, `C-${n}`);

  it('opens after consecutive sms failures, and routing falls over to the next channel with the reason', async () => {
    const r = await app.api('POST', '/api/v1/customers', {
      displayName: 'Circuit',
      identities: [
        { channel: 'sms', address: '+8613911199001' },
        { channel: 'email', address: `circuit-${randomUUID().slice(0, 8)}@example.com` },
      ],
    });
    const customerId = r.body.id as string;

    const before = await app.api('POST', '/api/v1/routing/preview', intent(customerId, 0));
    expect(before.body.route.channel).toBe('sms');

    const sent: string[] = [];
    for (let n = 1; n <= 3; n++) {
      const m = await app.api('POST', '/api/v1/messages', intent(customerId, n));
      expect(m.status).toBe(202);
      expect(m.body.route.channel).toBe('sms');
      sent.push(m.body.messageId as string);
    }
    // Every first attempt fails with the sandbox's transient error (then waits for its retry).
    await eventually(async () => {
      const rows = (await db.query(
        `SELECT count(*)::int AS n FROM delivery_attempts WHERE message_id = ANY($1) AND status = 'failed'`,
        [sent],
      )) as Array<{ n: number }>;
      return rows[0].n >= 3;
    }, 'three failed sms attempts');
    const attempt = (await db.query(
      `SELECT error_class FROM delivery_attempts WHERE message_id = $1 ORDER BY attempt_no LIMIT 1`,
      [sent[0]],
    )) as Array<{ error_class: string }>;
    expect(attempt[0].error_class).toBe('transient');
    expect(breaker.health('sms')).toBe('down');

    const after = await app.api('POST', '/api/v1/messages', intent(customerId, 4));
    expect(after.status).toBe(202);
    expect(after.body.route.channel).toBe('email');
    expect(after.body.route.reasons).toEqual(
      expect.arrayContaining([expect.stringMatching(/sms.*provider down \(circuit open\)/)]),
    );
    expect(after.body.route.fallbacks.map((f: { channel: string }) => f.channel)).not.toContain(
      'sms',
    );
  });

  it('closes again after a success', () => {
    breaker.success('sms');
    expect(breaker.health('sms')).toBe('up');
    expect(breaker.snapshot()).toEqual({});
  });
});
