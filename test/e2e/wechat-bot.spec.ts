import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { OutboundService } from '../../src/delivery/outbound.service';
import { wechatPuppetOverride } from '../../src/channels/wechat-puppet';
import { eventually, startTestApp, type TestApp } from '../support/test-app';

type MockMessagePayload = { id: string; talkerId?: string; listenerId?: string; text?: string };

let app: TestApp;
let mocker: mock.Mocker;
let bot: mock.ContactMock;

async function wechatHealth(): Promise<Record<string, any>> {
  const r = await fetch(`${app.url}/health`);
  const body = (await r.json()) as {
    details?: { channels?: Record<string, any> };
    info?: { channels?: Record<string, any> };
    error?: { channels?: Record<string, any> };
  };
  const channels = body.details?.channels ?? body.info?.channels ?? body.error?.channels ?? {};
  return channels.wechat as Record<string, any>;
}

beforeAll(async () => {
  mocker = new mock.Mocker();
  wechatPuppetOverride.puppet = new PuppetMock({ mocker });
  app = await startTestApp({ WECHATY_PUPPET: 'wechaty-puppet-mock' });
  bot = mocker.createContact({ name: 'Acme 客服' });
});
afterAll(async () => {
  await app?.close();
  wechatPuppetOverride.puppet = null;
});

describe('WeChat bot inside the app', () => {
  it('shows the login state in /health: scan, then logged in', async () => {
    mocker.scan('https://login.weixin.qq.com/l/hub-test', 2);
    const scanning = await eventually(async () => {
      const h = await wechatHealth();
      return h?.details?.state === 'scan' ? h : null;
    }, 'the scan state');
    expect(scanning).toMatchObject({
      status: 'degraded',
      transport: 'live',
      details: { qrUrl: 'https://login.weixin.qq.com/l/hub-test' },
    });
    mocker.login(bot);
    const loggedIn = await eventually(async () => {
      const h = await wechatHealth();
      return h?.details?.state === 'logged-in' ? h : null;
    }, 'the login');
    expect(loggedIn).toMatchObject({
      status: 'up',
      details: { userId: bot.id, userName: 'Acme 客服' },
    });
  });

  it('puts a contact message on the timeline of a wechat:<id> customer, and an agent reply reaches the contact', async () => {
    const alice = mocker.createContact({ name: 'Alice 王' });
    alice.say('你好，我的订单什么时候到？').to(bot);
    const customer = await eventually(async () => {
      const r = await app.api(
        'GET',
        `/api/v1/customers?identity=${encodeURIComponent(`wechat:${alice.id}`)}`,
      );
      return r.status === 200 ? r.body : null;
    }, 'the WeChat customer');
    const customerId = (customer.id ?? customer.items?.[0]?.id) as string;
    const timeline = await eventually(async () => {
      const t = await app.api('GET', `/api/v1/customers/${customerId}/timeline`);
      return t.body.items?.length ? t.body.items : null;
    }, 'the timeline item');
    expect(timeline[0]).toMatchObject({
      channel: 'wechat',
      direction: 'inbound',
      text: '你好，我的订单什么时候到？',
    });

    const reached: MockMessagePayload[] = [];
    alice.on('message', (message: { payload: MockMessagePayload }) => {
      if (message.payload.listenerId === alice.id) reached.push(message.payload);
    });
    const { message } = await app.hub.app.get(OutboundService).send({
      customerId,
      conversationId: timeline[0].conversationId,
      channel: 'wechat',
      text: '已为您查询，明天送达',
      purpose: 'service',
    });
    const [payload] = await eventually(
      async () => (reached.length ? reached : null),
      'the reply at the contact',
    );
    expect(payload).toMatchObject({
      talkerId: bot.id,
      listenerId: alice.id,
      text: '已为您查询，明天送达',
    });
    const sent = await eventually(async () => {
      const t = await app.api('GET', `/api/v1/customers/${customerId}/timeline`);
      const item = t.body.items.find((i: { id: string }) => i.id === message.id);
      return item?.status === 'sent' ? item : null;
    }, 'the reply marked sent');
    expect(sent).toMatchObject({ direction: 'outbound', channel: 'wechat' });
  });
});
