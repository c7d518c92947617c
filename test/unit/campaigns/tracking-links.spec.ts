import { LinkSigner } from '../../../src/tracking/link-signer';
import {
  clickUrl,
  shortenText,
  trackHtml,
  unsubscribeUrl,
} from '../../../src/tracking/tracking-links';

const signer = new LinkSigner('unit-secret');
const ref = { campaignId: 'c1', customerId: 'u1', channel: 'email' };

describe(LinkSigner.name, () => {
  it('reads back what it signed', () => {
    expect(signer.verify('c', signer.sign('c', ['a', 'b', 'https://x.example/?q=1']))).toEqual([
      'a',
      'b',
      'https://x.example/?q=1',
    ]);
  });

  it('refuses a token of another kind, another secret, a changed body or a changed signature', () => {
    const token = signer.sign('u', ['a', 'b', 'email']);
    expect(signer.verify('c', token)).toBeNull();
    expect(new LinkSigner('other').verify('u', token)).toBeNull();
    const [body, mac] = token.split('.');
    const forged = Buffer.from(
      Buffer.from(body, 'base64url').toString().replace('email', 'sms'),
    ).toString('base64url');
    expect(signer.verify('u', `${forged}.${mac}`)).toBeNull();
    expect(signer.verify('u', `${body}.${mac.slice(1)}`)).toBeNull();
    expect(signer.verify('u', 'no-dot')).toBeNull();
    expect(signer.verify('u', '')).toBeNull();
  });

  it('accepts only the spelling of a signature it issued, not a look-alike that decodes to the same bytes', () => {
    const token = signer.sign('c', ['a', 'b', 'https://x.example/']);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // A 16-byte MAC is 22 characters; the last one carries 2 bits and 4 the decoder ignores.
    const lookAlike = token.slice(0, -1) + alphabet[alphabet.indexOf(token.slice(-1)) ^ 1];
    const mac = (t: string) => Buffer.from(t.split('.')[1], 'base64url');
    expect(mac(lookAlike).equals(mac(token))).toBe(true);
    expect(signer.verify('c', token)).not.toBeNull();
    expect(signer.verify('c', lookAlike)).toBeNull();
  });
});

describe('trackHtml', () => {
  it('turns external links into signed click links, keeps the unsubscribe link, and adds the pixel before </body>', () => {
    const unsub = unsubscribeUrl(signer, 'https://hub.example', ref);
    const html = `<html><body><a href="https://shop.example/a?x=1&amp;y=2">a</a> <a href="${unsub}">stop</a></body></html>`;
    const out = trackHtml(html, signer, 'https://hub.example', ref);
    expect(out).not.toContain('shop.example');
    expect(out).toContain(
      `href="${clickUrl(signer, 'https://hub.example', ref, 'https://shop.example/a?x=1&y=2')}"`,
    );
    expect(out).toContain(`href="${unsub}"`);
    expect(out).toMatch(
      /<img src="https:\/\/hub\.example\/t\/o\/[^"]+\.gif"[^>]*><\/body><\/html>$/,
    );
  });
});

describe('shortenText', () => {
  it('replaces every external URL with a short link and returns the codes', () => {
    const r = shortenText(
      'Sale https://shop.example/a and https://shop.example/b, see https://hub.example/s/keep',
      'https://hub.example',
    );
    expect(r.links.map((l) => l.url)).toEqual(['https://shop.example/a', 'https://shop.example/b']);
    expect(r.text).toBe(
      `Sale https://hub.example/s/${r.links[0].code} and https://hub.example/s/${r.links[1].code}, see https://hub.example/s/keep`,
    );
  });
});
