import { AttachmentLinksService } from '../../../src/conversations/attachment-links.service';
import type { AppConfig } from '../../../src/config/app-config';
import type { SettingsService } from '../../../src/settings/settings.service';

const ID = '0190c5a2-7d1e-7cc4-9b8e-3f7c2b1a9d40';

async function links(secret: string): Promise<AttachmentLinksService> {
  const config = { env: { JWT_SECRET: secret } } as unknown as AppConfig;
  const s = new AttachmentLinksService({} as SettingsService, config);
  await s.onModuleInit();
  return s;
}

describe('AttachmentLinksService', () => {
  const now = Date.parse('2026-12-03T10:00:00Z');
  const tokenOf = (url: string) => new URL(url, 'http://h').searchParams.get('token')!;

  it('opens its attachment for five minutes, then says expired', async () => {
    const s = await links('secret-one');
    const { url, expiresAt } = s.issue(ID, now);
    expect(url.startsWith(`/api/v1/attachments/${ID}/signed?token=`)).toBe(true);
    expect(expiresAt).toBe('2026-12-03T10:05:00.000Z');
    expect(s.check(ID, tokenOf(url), now + 299_000)).toBe('ok');
    expect(s.check(ID, tokenOf(url), now + 301_000)).toBe('expired');
  });

  it('refuses another attachment, another secret and other kinds of signed token', async () => {
    const s = await links('secret-one');
    const token = tokenOf(s.issue(ID, now).url);
    expect(s.check(ID.replace(/0$/, '1'), token, now)).toBe('invalid');
    expect((await links('secret-two')).check(ID, token, now)).toBe('invalid');
    expect(s.check(ID, 'x.y', now)).toBe('invalid');
    expect(s.check(ID, '', now)).toBe('invalid');
  });
});
