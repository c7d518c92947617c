import { JwtService } from '@nestjs/jwt';
import { TokenService } from '../../../src/auth/token.service';
import type { SessionRow, UsersRepository } from '../../../src/auth/users.repository';
import { AppConfig } from '../../../src/config/app-config';
import type { SettingsService } from '../../../src/settings/settings.service';

const AGENT = { id: 'u-1', email: 'a@hub.local', name: 'Ada', role: 'agent' as const };

/** The users' rows as the repository would answer them (a unit test: no database). */
class Rows {
  readonly byId = new Map<string, SessionRow>([
    ['u-1', { ...AGENT, active: true, tokenVersion: 0, twoFactor: false }],
  ]);
  sessionOf(id: string): Promise<SessionRow | null> {
    const row = this.byId.get(id);
    return Promise.resolve(row ? { ...row } : null);
  }
}

async function tokens(
  secret: string,
  ttl = '1h',
  rows = new Rows(),
  env: Record<string, string> = {},
): Promise<TokenService> {
  const service = new TokenService(
    new JwtService({}),
    AppConfig.load({ JWT_SECRET: secret, JWT_TTL: ttl, ...env }),
    {} as SettingsService,
    rows as unknown as UsersRepository,
  );
  await service.onModuleInit();
  return service;
}

/** User tokens: the signature is remembered until expiry; the user's row decides the rest. */
describe(TokenService.name, () => {
  afterEach(() => jest.useRealTimers());

  it('answers a token checked before with the same user, as a copy of its own', async () => {
    const service = await tokens('secret-one-secret-one-secret-one');
    const token = service.sign(AGENT);
    const first = await service.verify(token);
    first.role = 'admin';
    expect(await service.verify(token)).toEqual(AGENT);
  });

  it('refuses a remembered token once it has expired', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-29T10:00:00Z'), doNotFake: ['nextTick'] });
    const service = await tokens('secret-one-secret-one-secret-one', '1h');
    const token = service.sign(AGENT);
    expect(await service.verify(token)).toEqual(AGENT);
    jest.setSystemTime(new Date('2026-11-29T10:59:58Z'));
    expect(await service.verify(token)).toEqual(AGENT);
    jest.setSystemTime(new Date('2026-11-29T11:00:01Z'));
    await expect(service.verify(token)).rejects.toThrow(/expired/);
  });

  it('refuses a token signed with another secret and a typed token, checked or not', async () => {
    const ours = await tokens('secret-one-secret-one-secret-one');
    const theirs = await tokens('secret-two-secret-two-secret-two');
    const foreign = theirs.sign(AGENT);
    expect(await theirs.verify(foreign)).toEqual(AGENT);
    await expect(ours.verify(foreign)).rejects.toThrow(/signature/);
    const visitor = ours.signTyped('visitor', { sub: 'v-1' });
    await expect(ours.verify(visitor)).rejects.toThrow(/not a user token/);
    await expect(ours.verify(visitor)).rejects.toThrow(/not a user token/);
  });

  it("refuses a remembered token once the user's token version moved on (logout)", async () => {
    const rows = new Rows();
    const service = await tokens('secret-one-secret-one-secret-one', '1h', rows);
    const token = service.sign({ ...AGENT, tokenVersion: 0 });
    expect(await service.verify(token)).toEqual(AGENT);
    rows.byId.get('u-1')!.tokenVersion = 1;
    await expect(service.verify(token)).rejects.toThrow(/revoked/);
    expect(await service.verify(service.sign({ ...AGENT, tokenVersion: 1 }))).toEqual(AGENT);
  });

  it('refuses the token of a deactivated or deleted user', async () => {
    const rows = new Rows();
    const service = await tokens('secret-one-secret-one-secret-one', '1h', rows);
    const token = service.sign(AGENT);
    rows.byId.get('u-1')!.active = false;
    await expect(service.verify(token)).rejects.toThrow(/deactivated/);
    rows.byId.delete('u-1');
    await expect(service.verify(token)).rejects.toThrow(/no longer exists/);
  });

  it("takes the role from the user's row, not from the token", async () => {
    const rows = new Rows();
    const service = await tokens('secret-one-secret-one-secret-one', '1h', rows);
    const token = service.sign(AGENT);
    rows.byId.get('u-1')!.role = 'marketer';
    expect((await service.verify(token)).role).toBe('marketer');
  });

  it('marks an admin without a second factor enrolment-only when REQUIRE_2FA is set', async () => {
    const rows = new Rows();
    rows.byId.get('u-1')!.role = 'admin';
    const strict = await tokens('secret-one-secret-one-secret-one', '1h', rows, {
      REQUIRE_2FA: 'true',
    });
    const token = strict.sign({ ...AGENT, role: 'admin' });
    expect((await strict.verify(token)).enrolmentOnly).toBe(true);
    rows.byId.get('u-1')!.twoFactor = true;
    expect((await strict.verify(token)).enrolmentOnly).toBeUndefined();
    const relaxed = await tokens('secret-one-secret-one-secret-one', '1h', rows);
    rows.byId.get('u-1')!.twoFactor = false;
    expect((await relaxed.verify(token)).enrolmentOnly).toBeUndefined();
  });
});
