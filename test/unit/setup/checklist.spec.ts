import { checklist, type SetupFacts } from '../../../src/setup/checklist';

const setUp: SetupFacts = {
  teams: 1,
  cannedResponses: 3,
  liveChannels: 1,
  adminsWithTemporaryPassword: 0,
  callerTwoFactor: true,
};

describe('first-run checklist', () => {
  it('is complete once every item is done', () => {
    expect(checklist(setUp).complete).toBe(true);
  });

  it.each([
    ['adminPassword', { adminsWithTemporaryPassword: 1 }, 'users'],
    ['twoFactor', { callerTwoFactor: false }, 'users'],
    ['team', { teams: 0 }, 'teams'],
    ['cannedResponses', { cannedResponses: 0 }, 'canned'],
    ['liveChannel', { liveChannels: 0 }, 'channels'],
  ] as const)('lists %s as left to do, linked to its section', (key, change, section) => {
    const result = checklist({ ...setUp, ...change });
    expect(result.complete).toBe(false);
    expect(result.items.filter((i) => !i.done)).toEqual([{ key, done: false, section }]);
  });
});
