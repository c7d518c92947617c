import { responseTime } from '../../../web/src/chart-axis';

describe('value formats of the reports page', () => {
  it('writes response times under a second in milliseconds, and long ones in hours', () => {
    expect([0, 0.5, 1].map(responseTime)).toEqual(['0s', '500ms', '1s']);
    expect([0.05, 12.4, 240, 5400].map(responseTime)).toEqual(['50ms', '12s', '4m', '1.5h']);
  });
});
