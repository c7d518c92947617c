import { io, type Socket } from 'socket.io-client';
import { DomainEvents } from '../../src/events/domain-events';
import { startTestApp, type TestApp } from '../support/test-app';

describe('live progress on /agents', () => {
  let app: TestApp;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await app.close();
  });

  const connect = async (token: string) => {
    const s = io(`${app.url}/agents`, {
      auth: { token },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    sockets.push(s);
    await new Promise<void>(
      (resolve, reject) => (s.once('connect', () => resolve()), s.once('connect_error', reject)),
    );
    return s;
  };

  it('streams campaign progress to supervisors, not to agents', async () => {
    const supervisor = await connect((await app.userToken('supervisor')).token);
    const agent = await connect((await app.userToken('agent')).token);
    let agentGot = 0;
    agent.on('campaign.progress', () => agentGot++);
    const got = new Promise<{ campaignId: string; sent: number; done: boolean }>((resolve) =>
      supervisor.on('campaign.progress', resolve),
    );
    app.hub.app.get(DomainEvents).emit('campaign.progress', {
      campaignId: 'c1',
      status: 'running',
      batches: 1,
      recipients: 10,
      sent: 8,
      suppressed: 2,
      done: false,
    });
    expect(await got).toMatchObject({ campaignId: 'c1', sent: 8, done: false });
    // Events reach a socket in order: once a later message.created is there, progress would have been too.
    const later = new Promise<void>((resolve) => agent.on('message.created', () => resolve()));
    await app.api('POST', '/api/v1/sandbox/inbound', {
      channel: 'sms',
      from: '+8613600136000',
      text: 'after the progress',
    });
    await later;
    expect(agentGot).toBe(0);
  });
});
