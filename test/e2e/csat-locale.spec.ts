import { eventually, startTestApp, type TestApp } from '../support/test-app';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

interface Msg {
  direction: string;
  text: string;
  metadata?: { csat?: boolean };
}

/** A customer writes by SMS in `locale`, the conversation is resolved: the rating question sent. */
async function csatQuestionFor(from: string, locale: string | null): Promise<string> {
  const r = await app.api('POST', '/api/v1/sandbox/inbound', { channel: 'sms', from, text: 'hi' });
  expect(r.status).toBeLessThan(300);
  const conversationId = r.body.conversation.id as string;
  const customerId = r.body.conversation.customerId as string;
  if (locale) {
    const patched = await app.api('PATCH', `/api/v1/customers/${customerId}`, {
      displayName: locale === 'zh-CN' ? '陈静' : 'Amy Lee',
      locale,
    });
    expect(patched.status).toBe(200);
  }
  const resolved = await app.api('POST', `/api/v1/conversations/${conversationId}/status`, {
    status: 'resolved',
  });
  expect(resolved.status).toBe(200);
  return eventually(async () => {
    const d = await app.api('GET', `/api/v1/conversations/${conversationId}`);
    const asked = (d.body.messages as Msg[]).find(
      (m) => m.direction === 'outbound' && m.metadata?.csat,
    );
    return asked?.text;
  }, 'the CSAT request');
}

describe("The CSAT question in the customer's language", () => {
  it('asks a zh-CN customer in Chinese, with the answers the rating parser accepts', async () => {
    const text = await csatQuestionFor('+8613800138111', 'zh-CN');
    expect(text).toBe(
      '陈静，您对本次服务满意吗？请回复 1-5 分（5 分为非常满意）或“满意 / 一般 / 不满意”，可在分数后附上意见。',
    );
  });

  it('asks an en customer in English', async () => {
    const text = await csatQuestionFor('+14155550111', 'en');
    expect(text).toBe('How did we do, Amy Lee? Reply 1-5 (5 = great).');
  });

  it('asks a zh (no region) customer in Chinese too, through the locale chain', async () => {
    const text = await csatQuestionFor('+8613800138222', 'zh');
    expect(text).toContain('您对本次服务满意吗');
  });
});
