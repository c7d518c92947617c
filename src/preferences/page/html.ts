/**
 * The frame of the customer-facing pages: escaping, the language switch and one stylesheet,
 * phone first (nothing wider than the screen at 390 px), light and dark, no script at all
 * (plain forms), so the page works without JavaScript and under the hub's CSP.
 */
import { LANGUAGES, t, type Language } from '../../customer-texts/catalog';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Text and attribute values alike: every value that reaches a page goes through this. */
export function esc(value: string | number): string {
  return String(value).replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

const STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1b1f;--muted:#5f6368;--line:#d9dce1;--card:#f6f7f9;--accent:#0b57d0;--on-accent:#fff;--ok:#146c2e;--bad:#b3261e}
@media (prefers-color-scheme:dark){:root{--bg:#121316;--fg:#e6e6ea;--muted:#a8abb3;--line:#3a3d44;--card:#1d1f24;--accent:#a8c7fa;--on-accent:#0b1d3a;--ok:#6dd58c;--bad:#ffb4ab}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;overflow-wrap:anywhere}
main{max-width:40rem;margin:0 auto;padding:1rem}
header{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;gap:.5rem}
h1{font-size:1.5rem;margin:.25rem 0}
h2{font-size:1.15rem;margin:0 0 .5rem}
h3{font-size:1rem;margin:.75rem 0 .25rem}
section{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:1rem;margin:1rem 0;min-width:0}
p{margin:.5rem 0}
.muted{color:var(--muted);font-size:.9rem}
.flash{border-left:4px solid var(--ok);background:var(--card);padding:.5rem .75rem;margin:1rem 0}
.flash.error{border-left-color:var(--bad)}
form{margin:.5rem 0}
fieldset{border:1px solid var(--line);border-radius:8px;margin:.75rem 0;padding:.5rem .75rem;min-width:0}
legend{font-weight:600;padding:0 .25rem}
label{display:block;font-size:.9rem;margin:.25rem 0}
select,input[type=time],input[type=text]{display:block;width:100%;max-width:100%;font:inherit;padding:.5rem;border:1px solid var(--line);border-radius:8px;background:var(--bg);color:var(--fg)}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(7rem,1fr));gap:.5rem}
.check{display:flex;gap:.5rem;align-items:center}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:.5rem}
button{font:inherit;min-height:44px;padding:.5rem 1rem;border-radius:8px;border:1px solid var(--accent);background:var(--accent);color:var(--on-accent);cursor:pointer}
button.secondary{background:transparent;color:var(--accent)}
a{color:var(--accent)}
nav.lang a{margin-left:.75rem}
nav.lang a[aria-current]{font-weight:700;text-decoration:none;color:var(--fg)}
ul.plain{list-style:none;padding:0;margin:0}
ul.plain>li{padding:.5rem 0;border-top:1px solid var(--line)}
ul.plain>li:first-child{border-top:0}
.status{font-weight:600}
`;

/** Links to the same page in each language (the current one marked). */
function languageSwitch(lang: Language, hrefOf: (l: Language) => string): string {
  const links = LANGUAGES.map((l) => {
    const label = l === 'en' ? 'English' : '简体中文';
    return `<a href="${esc(hrefOf(l))}" lang="${l}" hreflang="${l}"${l === lang ? ' aria-current="true"' : ''}>${label}</a>`;
  }).join('');
  return `<nav class="lang" aria-label="${esc(t(lang, 'page.language'))}">${links}</nav>`;
}

export function pageShell(options: {
  lang: Language;
  title: string;
  body: string;
  hrefOf: (l: Language) => string;
}): string {
  const { lang, title, body, hrefOf } = options;
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header><h1>${esc(title)}</h1>${languageSwitch(lang, hrefOf)}</header>
${body}
</main>
</body>
</html>`;
}
