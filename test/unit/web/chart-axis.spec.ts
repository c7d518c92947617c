import { axisTicks, niceMax, responseTime } from '../../../web/src/chart-axis';

describe('chart axes of the reports page', () => {
  const count = (v: number) => String(Math.round(v));

  it('rounds the top up to one significant digit, and draws an empty chart up to 1', () => {
    expect(niceMax([])).toBe(1);
    expect(niceMax([0, 0])).toBe(1);
    expect(niceMax([0.042])).toBe(0.05);
    expect(niceMax([7, 130])).toBe(200);
  });

  it('leaves out a middle tick whose label would repeat its neighbour', () => {
    // One customer per tier: 0.5 rounds to "1", as the top does.
    expect(axisTicks(1, count)).toEqual([
      [0, '0'],
      [1, '1'],
    ]);
    expect(axisTicks(200, count)).toEqual([
      [0, '0'],
      [0.5, '100'],
      [1, '200'],
    ]);
  });

  it('writes response times under a second in milliseconds, so a fast axis reads 0s, 500ms, 1s', () => {
    expect(axisTicks(1, responseTime).map(([, l]) => l)).toEqual(['0s', '500ms', '1s']);
    expect([0.05, 12.4, 240, 5400].map(responseTime)).toEqual(['50ms', '12s', '4m', '1.5h']);
  });
});
