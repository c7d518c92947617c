import { parseSendRate } from '../../../src/queue/send-rates';

describe(parseSendRate.name, () => {
  it.each([
    ['10/s', { max: 10, duration: 1000 }],
    ['600/m', { max: 600, duration: 60_000 }],
    ['5/2s', { max: 5, duration: 2000 }],
    [' 3 / 500ms ', { max: 3, duration: 500 }],
    ['1000/h', { max: 1000, duration: 3_600_000 }],
  ])('reads %s', (value, expected) => {
    expect(parseSendRate(value)).toEqual(expected);
  });

  it.each(['fast', '10', '0/s', '10/0s', '/s'])('refuses %s', (value) => {
    expect(() => parseSendRate(value)).toThrow(/send rate/);
  });
});
