/** "sms=0.05,email=0.001" -> { sms: 0.05, email: 0.001 }. Pure. */
export function parseUnitPrices(spec: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of spec.split(',')) {
    const [k, v] = part.split('=').map((s) => s.trim());
    if (k && v !== undefined && v !== '' && Number.isFinite(Number(v))) out[k] = Number(v);
  }
  return out;
}
