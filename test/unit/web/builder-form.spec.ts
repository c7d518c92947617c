import {
  emptyForm,
  fieldErrors,
  filterSegment,
  shares,
  toBody,
} from '../../../web/src/builder-form';

describe('the campaign builder form', () => {
  it('turns simple filters into a segment, leaving empty parts out', () => {
    expect(filterSegment('', [], false)).toEqual({});
    expect(filterSegment(' vip, 北京，spring ', ['core', 'edge'], true)).toEqual({
      tags: ['vip', '北京', 'spring'],
      tier: ['core', 'edge'],
      rfm: { churnRisk: true },
    });
  });

  it('writes the create body: variants, sendAt as an instant, the rate as a number', () => {
    const f = {
      ...emptyForm(),
      name: ' Spring ',
      topic: 'sale',
      template: 'spring',
      segment: { tags: ['vip'] },
    };
    expect(toBody(f)).toEqual({
      name: 'Spring',
      segment: { tags: ['vip'] },
      template: 'spring',
      topic: 'sale',
      purpose: 'marketing',
      urgency: 'normal',
    });
    const ab = toBody({
      ...f,
      ab: true,
      variants: [
        { template: 'a', weight: 3 },
        { template: 'b', weight: 1 },
      ],
      sendAt: '2026-12-24T09:30',
      ratePerSecond: '20',
    });
    expect(ab.template).toBe('a');
    expect(ab.variants).toEqual([
      { template: 'a', weight: 3 },
      { template: 'b', weight: 1 },
    ]);
    expect(ab.sendAt).toBe(new Date('2026-12-24T09:30').toISOString());
    expect(ab.ratePerSecond).toBe(20);
  });

  it('puts each part of a server error next to the field it names', () => {
    expect(fieldErrors('purpose: template x may be sent for service, not marketing')).toEqual({
      purpose: 'purpose: template x may be sent for service, not marketing',
    });
    expect(fieldErrors('name: too small; segment.tier: must be one of core')).toEqual({
      name: 'name: too small',
      segment: 'segment.tier: must be one of core',
    });
    expect(fieldErrors('Cannot reach the server.')).toEqual({
      general: 'Cannot reach the server.',
    });
  });

  it('gives each variant its share of the split', () => {
    expect(
      shares([
        { template: 'a', weight: 3 },
        { template: 'b', weight: 1 },
      ]),
    ).toEqual([0.75, 0.25]);
    expect(shares([{ template: 'a', weight: 0 }])).toEqual([0]);
  });
});
