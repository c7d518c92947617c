import { dispositionName } from '../../../web/src/file-name';
import { apiWindow, lastDays, localDate } from '../../../web/src/report-range';
import {
  loadLevel,
  reassignTargets,
  sortAgents,
  type TeamAgent,
} from '../../../web/src/team-view-data';

const agent = (id: string, name: string, status: TeamAgent['status']): TeamAgent => ({
  id,
  name,
  role: 'agent',
  status,
  capacity: 5,
  open: 0,
  teams: [],
  conversations: [],
});

describe("the reports' date range", () => {
  it('counts the last n days with today, as local dates', () => {
    expect(lastDays(7, new Date(2026, 11, 3, 15, 0))).toEqual({
      from: '2026-11-27',
      to: '2026-12-03',
    });
    expect(localDate(new Date(2026, 0, 5))).toBe('2026-01-05');
  });

  it('asks the API for whole local days, and for nothing when the range is backwards', () => {
    expect(apiWindow({ from: '2026-12-01', to: '2026-12-03' })).toEqual({
      from: new Date(2026, 11, 1).toISOString(),
      to: new Date(2026, 11, 4).toISOString(),
    });
    expect(apiWindow({ from: '2026-12-03', to: '2026-12-01' })).toBeNull();
    expect(apiWindow({ from: '', to: '2026-12-01' })).toBeNull();
  });
});

describe('the team view', () => {
  it('grades load against capacity', () => {
    expect(loadLevel(1, 10)).toBe('free');
    expect(loadLevel(7, 10)).toBe('busy');
    expect(loadLevel(10, 10)).toBe('full');
    expect(loadLevel(0, 0)).toBe('full');
  });

  it('lists online agents first, by name, and never offers the current assignee', () => {
    const agents = [
      agent('1', '赵六', 'offline'),
      agent('2', 'Bob', 'online'),
      agent('3', 'Ann', 'away'),
      agent('4', 'Ann', 'online'),
    ];
    expect(sortAgents(agents).map((a) => a.id)).toEqual(['4', '2', '3', '1']);
    expect(reassignTargets(agents, '2').map((a) => a.id)).toEqual(['4', '3', '1']);
  });
});

describe('CSV downloads', () => {
  it('names the file as the server says, else the fallback', () => {
    expect(
      dispositionName('attachment; filename="service-agent-2026-11-03-2026-12-03.csv"', 'x.csv'),
    ).toBe('service-agent-2026-11-03-2026-12-03.csv');
    expect(dispositionName(null, 'x.csv')).toBe('x.csv');
  });
});
