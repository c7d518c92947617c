import {
  draftToSegment,
  EMPTY_DRAFT,
  filterCount,
  segmentToDraft,
  type Segment,
} from '../../../web/src/components/contacts/segment-draft';

/** The filter editor's form and the segment it stands for (shared with the campaign builder). */
describe('segment draft', () => {
  it('turns the form into a segment, leaving half-typed rows out', () => {
    expect(
      draftToSegment({
        ...EMPTY_DRAFT,
        tags: 'vip, beta，gold',
        tiers: ['core'],
        attributes: [
          { key: 'plan', op: 'eq', value: 'pro' },
          { key: 'spend', op: 'gte', value: '100' },
          { key: 'spend', op: 'lt', value: 'x' },
          { key: 'city', op: 'in', value: 'Shanghai, Beijing' },
          { key: 'note', op: 'missing', value: '' },
          { key: '', op: 'eq', value: 'nobody' },
          { key: 'active', op: 'eq', value: 'true' },
        ],
        consent: [{ channel: 'email', purpose: 'marketing', status: 'none' }],
        lastContactAfter: '2026-10-01',
        churn: 'atRisk',
      }),
    ).toEqual({
      tags: ['vip', 'beta', 'gold'],
      tier: 'core',
      attributes: {
        plan: { eq: 'pro' },
        spend: { gte: 100 },
        city: { in: ['Shanghai', 'Beijing'] },
        note: { exists: false },
        active: { eq: true },
      },
      consent: [{ channel: 'email', purpose: 'marketing', status: 'none' }],
      lastContactAfter: '2026-10-01T00:00:00.000Z',
      rfm: { churnRisk: true },
    });
    expect(draftToSegment(EMPTY_DRAFT)).toEqual({});
  });

  it('loads a saved segment back as it was, RFM score floors kept', () => {
    const saved: Segment = {
      tags: ['vip'],
      tier: ['core', 'edge'],
      attributes: { plan: { ne: 'free' }, spend: { gt: 5, lte: 50 }, city: { in: ['上海', 1] } },
      consent: [{ channel: 'sms', purpose: 'marketing', status: 'granted' }],
      lastContactBefore: '2026-06-01T00:00:00.000Z',
      rfm: { minR: 3, churnRisk: false },
    };
    expect(draftToSegment(segmentToDraft(saved))).toEqual(saved);
    expect(filterCount(saved)).toBe(8);
  });
});
