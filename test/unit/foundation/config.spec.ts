import { AppConfig, ConfigError } from '../../../src/config/app-config';

describe(AppConfig.name, () => {
  it('applies the defaults of API.md', () => {
    const c = AppConfig.load({});
    expect(c.port).toBe(3000);
    expect(c.embeddedDatabase).toBe(true);
    expect(c.inProcessQueue).toBe(true);
    expect(c.env.SMTP_INBOUND_PORT).toBe(2525);
    expect(c.env.EMAIL_INBOXES).toEqual(['support@localhost']);
    expect(c.emailFrom).toBe('support@localhost');
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.adminPasswordGenerated).toBe(true);
    expect(c.adminPassword.length).toBeGreaterThanOrEqual(12);
    expect(c.env.DATABASE_PREPARED_STATEMENTS).toBe(true);
  });

  it('reads every variable it is given', () => {
    const c = AppConfig.load({
      PORT: '8080',
      DATABASE_URL: 'postgres://u:p@db:5432/hub',
      REDIS_URL: 'redis://cache:6379',
      EMAIL_INBOXES: 'help@acme.com, sales@acme.com',
      CHANNELS_SANDBOX: 'sms,wechat',
      PUBLIC_URL: 'https://hub.acme.com/',
      DATABASE_PREPARED_STATEMENTS: 'false',
    });
    expect(c.port).toBe(8080);
    expect(c.embeddedDatabase).toBe(false);
    expect(c.inProcessQueue).toBe(false);
    expect(c.env.EMAIL_INBOXES).toEqual(['help@acme.com', 'sales@acme.com']);
    expect(c.emailFrom).toBe('help@acme.com');
    expect(c.forcedSandbox('sms')).toBe(true);
    expect(c.forcedSandbox('email')).toBe(false);
    expect(c.publicUrl).toBe('https://hub.acme.com');
    expect(c.env.DATABASE_PREPARED_STATEMENTS).toBe(false);
  });

  it('refuses to start naming every malformed variable', () => {
    let error: ConfigError | undefined;
    try {
      AppConfig.load({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        EMAIL_INBOXES: 'nope',
        CHANNELS_SANDBOX: 'fax',
        TWILIO_ACCOUNT_SID: 'XX1',
        DATABASE_PREPARED_STATEMENTS: 'maybe',
      });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const names = error!.problems.map((p) => p.split(':')[0].split('.')[0]);
    expect(names).toEqual(
      expect.arrayContaining([
        'PORT',
        'DATABASE_URL',
        'EMAIL_INBOXES',
        'CHANNELS_SANDBOX',
        'TWILIO_ACCOUNT_SID',
        'DATABASE_PREPARED_STATEMENTS',
      ]),
    );
    expect(error!.message).toContain('DATABASE_URL');
  });
});
