import {
  hasTrigrams,
  indexedMatchSql,
  indexWords,
  matchSql,
} from '../../../src/inbox/conversation-search.sql';

describe('inbox search terms', () => {
  it('asks the trigram index for the words of three characters or more, each a piece of the term', () => {
    expect(indexWords('charged twice')).toEqual(['charged', 'twice']);
    expect(indexWords('Where is my order A123456?')).toEqual(['Where', 'order', 'A123456']);
    expect(indexWords('扣了两次款，退款')).toEqual(['扣了两次款']);
    expect(indexWords('to be or')).toEqual([]);
    expect(indexWords('dup dup')).toEqual(['dup']);
  });

  it('walks instead for a single word under three characters', () => {
    expect(hasTrigrams('退款')).toBe(false);
    expect(hasTrigrams('ab')).toBe(false);
    expect(hasTrigrams('abc')).toBe(true);
    // Two short words: the whole term's trigrams span the space.
    expect(hasTrigrams('退款 进度')).toBe(true);
  });

  it('checks the whole term on each message unless the index looked it up whole', () => {
    const one: unknown[] = ['x'];
    expect(indexedMatchSql('Refund', one)).toBe(
      `m.search_text LIKE lower($2) AND m.conversation_id IS NOT NULL AND m.kind <> 'event'`,
    );
    expect(one).toEqual(['x', '%Refund%']);

    const two: unknown[] = [];
    expect(indexedMatchSql('Charged twice', two)).toBe(
      `m.search_text LIKE lower($1) AND m.search_text LIKE lower($2) AND strpos(m.search_text, lower($3)) > 0 AND m.conversation_id IS NOT NULL AND m.kind <> 'event'`,
    );
    expect(two).toEqual(['%Charged%', '%twice%', 'Charged twice']);
    // A conversation's own messages are checked for the whole term.
    const each: unknown[] = [];
    expect(matchSql('Charged twice', each)).toBe(
      `m.search_text LIKE lower($1) AND m.conversation_id IS NOT NULL AND m.kind <> 'event'`,
    );
    expect(each).toEqual(['%Charged twice%']);

    // No word long enough: the whole term, its pattern characters escaped.
    const short: unknown[] = [];
    expect(indexedMatchSql('5%_b c', short)).toBe(
      `m.search_text LIKE lower($1) AND m.conversation_id IS NOT NULL AND m.kind <> 'event'`,
    );
    expect(short).toEqual(['%5\\%\\_b c%']);
  });
});
