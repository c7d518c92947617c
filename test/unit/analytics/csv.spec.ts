import { csvCell, toCsv } from '../../../src/analytics/csv';

describe('CSV for spreadsheets', () => {
  it('keeps cells a spreadsheet would run as formulas from running', () => {
    expect(['=cmd', '+1', '-2+3', '@SUM(A1)', '\tx'].map(csvCell)).toEqual([
      "'=cmd",
      "'+1",
      "'-2+3",
      "'@SUM(A1)",
      "'\tx",
    ]);
    // Numbers stay numbers, negative ones too.
    expect(csvCell(-3)).toBe('-3');
  });

  it('quotes commas, quotes and line breaks, and starts with a BOM for Excel', () => {
    expect(csvCell('a,"b"\nc')).toBe('"a,""b""\nc"');
    expect(
      toCsv(
        ['名字', 'n'],
        [
          ['王芳', 1],
          [null, undefined],
        ],
      ),
    ).toBe('\uFEFF名字,n\r\n王芳,1\r\n,\r\n');
  });
});
