// Renders a web component to HTML in Node, in a chosen language: the i18n module reads the
// browser's language when it loads, so each render loads the component afresh after setting it.
import type { ComponentType } from 'preact';
import type { Locale } from '../../../web/src/i18n';

function browserIn(locale: Locale): void {
  const store = new Map<string, string>([['hub.locale', locale]]);
  Object.assign(globalThis, {
    localStorage: {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
      removeItem: (k: string) => void store.delete(k),
    },
    document: { documentElement: { lang: '' } },
  });
  Object.defineProperty(globalThis, 'navigator', {
    value: { languages: [locale], language: locale },
    configurable: true,
  });
}

/** The HTML of the component `load` requires, rendered with props in the given language. */
export async function renderIn<P extends object>(
  locale: Locale,
  load: () => Promise<ComponentType<P>>,
  props: NoInfer<P>,
): Promise<string> {
  browserIn(locale);
  let html = '';
  // Preact, its hooks and the component from one module registry, fresh for this language.
  await jest.isolateModulesAsync(async () => {
    const { h } = await import('preact');
    const { renderToString } = await import('preact-render-to-string');
    html = renderToString(h(await load(), props));
  });
  return html;
}
