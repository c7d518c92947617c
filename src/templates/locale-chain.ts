/** zh-CN -> zh -> en: the locales tried, most specific first, ending with the default. */
export function localeChain(locale: string | undefined, fallback: string): string[] {
  const chain: string[] = [];
  const wanted = (locale ?? fallback).replace(/_/g, '-');
  const parts = wanted.split('-');
  for (let n = parts.length; n > 0; n--) {
    const candidate = parts.slice(0, n).join('-');
    if (!chain.includes(candidate)) chain.push(candidate);
  }
  if (!chain.includes(fallback)) chain.push(fallback);
  return chain;
}
