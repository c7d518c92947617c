// Numbers on the campaign pages, in the reader's locale.
import { locale } from './i18n';

const integer = new Intl.NumberFormat(locale);
const money = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
const share = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });

export const count = (n: number) => integer.format(n);
export const amount = (n: number) => money.format(n);
export const percent = (n: number) => share.format(n);
/** A p-value as people read it: three decimals, "< 0.001" below that. */
export const pValue = (p: number) => (p < 0.001 ? '< 0.001' : p.toFixed(3));
