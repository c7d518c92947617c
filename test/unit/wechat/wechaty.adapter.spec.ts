import { FileBox } from 'file-box';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import type { NormalizedInbound } from '../../../src/channels/channel-port';
import { WechatyAdapter } from '../../../channel-adapters/wechat/wechaty.adapter';

type MockMessagePayload = { id: string; talkerId?: string; listenerId?: string; text?: string };

/** Resolves when predicate holds, polling the event-driven state; fails after timeoutMs. */
async function until<T>(probe: () => T | undefined, timeoutMs = 3000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe(WechatyAdapter.name, () => {
  let mocker: mock.Mocker;
  let adapter: WechatyAdapter;
  let inbound: NormalizedInbound[];
  let errors: unknown[];
  let user: mock.ContactMock;
  let alice: mock.ContactMock;

  beforeEach(async () => {
    inbound = [];
    errors = [];
    mocker = new mock.Mocker();
    adapter = new WechatyAdapter({
      name: 'hub-test',
      puppet: new PuppetMock({ mocker }),
      onInbound: async (m) => {
        inbound.push(m);
      },
      onError: (e) => errors.push(e),
    });
    await adapter.start();
    user = mocker.createContact({ name: 'Acme Service' });
    alice = mocker.createContact({ name: 'Alice 王' });
  });

  afterEach(async () => {
    await adapter.stop();
  });

  async function login(): Promise<void> {
    mocker.login(user);
    await until(() => (adapter.loginState.state === 'logged-in' ? true : undefined));
  }

  it('tracks scan, login and logout in health()', async () => {
    mocker.scan('https://login.weixin.qq.com/l/abc', 2);
    await until(() => (adapter.loginState.state === 'scan' ? true : undefined));
    expect(adapter.health()).toMatchObject({
      status: 'degraded',
      transport: 'live',
      details: { state: 'scan', qrUrl: 'https://login.weixin.qq.com/l/abc' },
    });

    await login();
    expect(adapter.health()).toEqual({
      status: 'up',
      transport: 'live',
      details: { state: 'logged-in', userId: user.id, userName: 'Acme Service' },
    });

    await adapter.bot.logout();
    await until(() => (adapter.loginState.state === 'logged-out' ? true : undefined));
    expect(adapter.health().status).toBe('down');
  });

  it('hands a contact text message to onInbound, normalized', async () => {
    await login();
    alice.say('你好，我的订单呢？').to(user);
    const [message] = await until(() => (inbound.length ? inbound : undefined));
    expect(message).toMatchObject({
      channel: 'wechat',
      kind: 'message',
      from: alice.id,
      to: user.id,
      senderName: 'Alice 王',
      text: '你好，我的订单呢？',
      metadata: { wechatType: 'Text' },
    });
    expect(message!.providerMessageId).toEqual(expect.any(String));
    expect(message!.receivedAt).toBeInstanceOf(Date);
  });

  it('reads image and file messages into attachments with their content', async () => {
    await login();
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    alice.say(FileBox.fromBase64(png.toString('base64'), 'receipt.png')).to(user);
    const pdf = FileBox.fromBase64(Buffer.from('invoice').toString('base64'), 'invoice.pdf');
    // The mock only files a .pdf as an Attachment when it has no media type of its own.
    Object.assign(pdf, { _mediaType: 'application/octet-stream' });
    alice.say(pdf).to(user);
    const received = await until(() => (inbound.length >= 2 ? inbound : undefined));
    const [image, file] = received;
    expect(image).toMatchObject({ text: '', metadata: { wechatType: 'Image' } });
    expect(image!.attachments).toEqual([
      { filename: 'receipt.png', contentType: 'image/png', size: png.length, content: png },
    ]);
    expect(file!.metadata).toEqual({ wechatType: 'Attachment' });
    expect(file!.attachments![0]).toMatchObject({
      filename: 'invoice.pdf',
      contentType: 'application/pdf',
      size: 7,
    });
    expect(file!.attachments![0]!.content!.toString()).toBe('invoice');
  });

  it('ignores its own messages and room messages', async () => {
    await login();
    const room = mocker.createRoom({ topic: 'VIP group', memberIdList: [user.id, alice.id] });
    alice.say('in the room').to(room);
    user.say('sent from the phone').to(alice);
    alice.say('direct').to(user);
    await until(() => (inbound.length ? true : undefined));
    // A fixed wait asserting that nothing else arrives, bounded after a positive signal: the
    // direct message, said last, has been handled, so the two before it were handled too
    // (dropped); the 50 ms only catch one of them arriving late.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(inbound.map((m) => m.text)).toEqual(['direct']);
  });

  it('sends an agent reply that reaches the contact', async () => {
    await login();
    const reached: MockMessagePayload[] = [];
    alice.on('message', (message: { payload: MockMessagePayload }) => {
      if (message.payload.listenerId === alice.id) reached.push(message.payload);
    });

    const receipt = await adapter.send({
      messageId: 'msg-42',
      channel: 'wechat',
      to: alice.id,
      text: '已为您查询，明天送达',
    });

    expect(receipt).toEqual({ providerMessageId: 'wechat-msg-42', status: 'sent' });
    const [payload] = await until(() => (reached.length ? reached : undefined));
    expect(payload).toMatchObject({
      talkerId: user.id,
      listenerId: alice.id,
      text: '已为您查询，明天送达',
    });
    expect(inbound).toEqual([]);
  });

  it('refuses to send before login or to an unknown contact', async () => {
    await expect(
      adapter.send({ messageId: 'm', channel: 'wechat', to: alice.id, text: 'x' }),
    ).rejects.toMatchObject({
      errorClass: 'transient',
    });
    await login();
    await expect(
      adapter.send({ messageId: 'm', channel: 'wechat', to: 'nobody', text: 'x' }),
    ).rejects.toMatchObject({
      errorClass: 'permanent',
    });
  });
});
