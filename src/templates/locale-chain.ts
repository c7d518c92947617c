/**
 * Where a language's templates live when the customer's own tag finds none: Chinese ones are
 * written in Simplified Chinese as zh-CN files, so zh, zh-Hans or zh-SG customers get them
 * rather than the default language. Traditional Chinese readers (Hant, TW, HK, MO) do not
 * borrow them: they fall back to the default.
 */
const LANGUAGE_HOME: Record<string, { home: string; unless: RegExp }> = {
  zh: { home: 'zh-CN', unless: /-(Hant|TW|HK|MO)(-|$)/ },
};

/** BCP 47 casing: language lower, script title case, region upper (zh-hans-cn -> zh-Hans-CN). */
function canonical(tag: string): string {
  return tag
    .split('-')
    .map((p, i) =>
      i === 0
        ? p.toLowerCase()
        : p.length === 2
          ? p.toUpperCase()
          : p.length === 4
            ? p[0].toUpperCase() + p.slice(1).toLowerCase()
            : p,
    )
    .join('-');
}

/** zh-CN -> zh -> en: the locales tried, most specific first, ending with the default. */
export function localeChain(locale: string | undefined, fallback: string): string[] {
  const chain: string[] = [];
  const wanted = canonical((locale ?? fallback).replace(/_/g, '-'));
  const parts = wanted.split('-');
  for (let n = parts.length; n > 0; n--) {
    const candidate = parts.slice(0, n).join('-');
    if (!chain.includes(candidate)) chain.push(candidate);
  }
  const home = LANGUAGE_HOME[parts[0]];
  if (home && !home.unless.test(wanted) && !chain.includes(home.home)) chain.push(home.home);
  if (!chain.includes(fallback)) chain.push(fallback);
  return chain;
}
