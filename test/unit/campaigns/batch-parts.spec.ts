import { partSize } from '../../../src/campaigns/batch-pipeline';
import { messageIds } from '../../../src/campaigns/recipient-plan';

describe('partSize', () => {
  it.each([
    [1, 50],
    [25, 50],
    [500, 100],
    [5000, 1000],
    [10000, 1000],
  ])('splits a batch of %i into parts of %i', (batch, part) => {
    expect(partSize(batch)).toBe(part);
  });
});

describe('messageIds', () => {
  it('gives UUIDv7s that start with their millisecond, all different', () => {
    const at = new Date('2025-03-10T04:00:00.123Z');
    const next = messageIds(at);
    const ids = Array.from({ length: 1000 }, next);
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at.getTime());
    }
    expect(messageIds(new Date(at.getTime() + 1))() > ids[0]).toBe(true);
  });
});
