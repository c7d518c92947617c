import { createHash } from 'crypto';
import { passwordProblem } from '../../../src/auth/password-policy';

/** New passwords: 10+ characters, at most 256 bytes, not common or guessable; each refusal says why. */
describe(passwordProblem.name, () => {
  it.each([
    ['too short', 'Xq7!vz', /at least 10 characters \(it has 6\)/],
    ['common', 'password-123', /too easy to guess.*commonly used password/],
    ['a keyboard walk', 'qwertyuiop1', /too easy to guess/],
    ['one repeated character', 'aaaaaaaaaaaaaaaa', /too easy to guess.*Repeated/],
    [
      'too many bytes (no silent cut)',
      'é'.repeat(129),
      /at most 256 bytes in UTF-8 \(it has 258\)/,
    ],
  ])('refuses a password that is %s, naming the reason', (_, password, why) => {
    expect(passwordProblem(password)).toMatch(why);
  });

  it("refuses the user's own name and year, which a stranger's password could be", () => {
    expect(passwordProblem('Lindqvist2024!', ['margaretha.lindqvist@hub.local'])).toMatch(
      /too easy to guess.*personal/,
    );
    expect(passwordProblem('Lindqvist2024!')).toBeNull();
  });

  it.each(['quartz-Lantern-91-meadow', 'correct horse battery staple', '雪の日に猫が三匹歩いた道'])(
    'accepts %s',
    (password) => {
      expect(passwordProblem(password)).toBeNull();
    },
  );

  it('accepts 256 bytes exactly', () => {
    const phrase =
      createHash('sha512').update('a').digest('base64') +
      createHash('sha512').update('b').digest('hex') +
      createHash('sha512').update('c').digest('base64');
    const password = phrase.slice(0, 256);
    expect(Buffer.byteLength(password)).toBe(256);
    expect(passwordProblem(password)).toBeNull();
    expect(passwordProblem(`${password}x`)).toMatch(/at most 256 bytes/);
  });
});
