import { countSmsSegments } from '../../../src/templates';

describe(countSmsSegments.name, () => {
  it.each([
    ['empty', '', 'GSM-7', 0, 0],
    ['160 GSM chars fit one part', 'a'.repeat(160), 'GSM-7', 1, 160],
    ['161 GSM chars need two parts of 153', 'a'.repeat(161), 'GSM-7', 2, 161],
    ['306 GSM chars fit two parts', 'a'.repeat(306), 'GSM-7', 2, 306],
    ['307 GSM chars need three parts', 'a'.repeat(307), 'GSM-7', 3, 307],
    ['extension characters count 2', '{}[]~|^\\€'.repeat(1), 'GSM-7', 1, 18],
    ['80 euro signs are 160 septets, one part', '€'.repeat(80), 'GSM-7', 1, 160],
    ['81 euro signs are 162 septets, two parts', '€'.repeat(81), 'GSM-7', 2, 162],
    ['GSM accented letters stay GSM-7', 'àéèùìòÇØøÅåÄÖÑÜäöñüß£¥§¿¡', 'GSM-7', 1, 25],
    ['70 Chinese characters fit one UCS-2 part', '中'.repeat(70), 'UCS-2', 1, 70],
    ['71 Chinese characters need two parts of 67', '中'.repeat(71), 'UCS-2', 2, 71],
    ['one Chinese character makes it all UCS-2', `${'a'.repeat(100)}中`, 'UCS-2', 2, 101],
    ['curly quotes are not GSM-7', '\u201chello\u201d', 'UCS-2', 1, 7],
    ['an emoji counts 2 units', '😀', 'UCS-2', 1, 2],
    ['35 emoji are 70 units, one part', '😀'.repeat(35), 'UCS-2', 1, 70],
    ['36 emoji are 72 units, two parts', '😀'.repeat(36), 'UCS-2', 2, 72],
  ])('%s', (_name, text, encoding, segments, units) => {
    expect(countSmsSegments(text)).toMatchObject({ encoding, segments, units });
  });

  it('never splits an escape pair across parts', () => {
    // 152 'a' then '€': the pair does not fit in part one (152 + 2 > 153) and moves whole.
    const text = `${'a'.repeat(152)}€${'a'.repeat(10)}`;
    expect(countSmsSegments(text)).toMatchObject({ segments: 2, units: 164, perSegment: 153 });
    // 153 'a' + 153 'a' but with a € at 153: 153 | 2+152 | 1 => 3 parts although units = 308 / 153 ~ 2.01
    const tight = `${'a'.repeat(152)}€${'a'.repeat(152)}`;
    expect(countSmsSegments(tight).segments).toBe(3);
  });

  it('never splits a surrogate pair across parts', () => {
    // 66 units, then an emoji (2): 68 > 67 so the emoji starts part two.
    const text = `${'中'.repeat(66)}😀${'中'.repeat(66)}`;
    expect(countSmsSegments(text)).toMatchObject({
      encoding: 'UCS-2',
      units: 134,
      segments: 3,
      perSegment: 67,
    });
    expect(countSmsSegments(`${'中'.repeat(65)}😀${'中'.repeat(67)}`).segments).toBe(2);
  });
});
