import { JwtService } from '@nestjs/jwt';
import { TokenService } from '../../../src/auth/token.service';
import { AppConfig } from '../../../src/config/app-config';
import type { SettingsService } from '../../../src/settings/settings.service';

const AGENT = { id: 'u-1', email: 'a@hub.local', name: 'Ada', role: 'agent' as const };

async function tokens(secret: string, ttl = '1h'): Promise<TokenService> {
  const service = new TokenService(
    new JwtService({}),
    AppConfig.load({ JWT_SECRET: secret, JWT_TTL: ttl }),
    {} as SettingsService,
  );
  await service.onModuleInit();
  return service;
}

/** User tokens are remembered as checked until they expire; nothing else about them changes. */
describe(TokenService.name, () => {
  afterEach(() => jest.useRealTimers());

  it('answers a token checked before with the same user, as a copy of its own', async () => {
    const service = await tokens('secret-one-secret-one-secret-one');
    const token = service.sign(AGENT);
    const first = service.verify(token);
    first.role = 'admin';
    expect(service.verify(token)).toEqual(AGENT);
  });

  it('refuses a remembered token once it has expired', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-29T10:00:00Z'), doNotFake: ['nextTick'] });
    const service = await tokens('secret-one-secret-one-secret-one', '1h');
    const token = service.sign(AGENT);
    expect(service.verify(token)).toEqual(AGENT);
    jest.setSystemTime(new Date('2026-11-29T10:59:58Z'));
    expect(service.verify(token)).toEqual(AGENT);
    jest.setSystemTime(new Date('2026-11-29T11:00:01Z'));
    expect(() => service.verify(token)).toThrow(/expired/);
  });

  it('refuses a token signed with another secret and a typed token, checked or not', async () => {
    const ours = await tokens('secret-one-secret-one-secret-one');
    const theirs = await tokens('secret-two-secret-two-secret-two');
    const foreign = theirs.sign(AGENT);
    expect(theirs.verify(foreign)).toEqual(AGENT);
    expect(() => ours.verify(foreign)).toThrow(/signature/);
    const visitor = ours.signTyped('visitor', { sub: 'v-1' });
    expect(() => ours.verify(visitor)).toThrow(/not a user token/);
    expect(() => ours.verify(visitor)).toThrow(/not a user token/);
  });
});
