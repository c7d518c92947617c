/** A/B assignment: stable per (campaign, customer), proportional to the weights. Pure. */
export interface Variant {
  template: string;
  weight: number;
}

/** FNV-1a over the two ids, mapped to [0, 1). */
function unitHash(a: string, b: string): number {
  let h = 0x811c9dc5;
  const s = `${a}:${b}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 4294967296;
}

export function pickVariant(
  variants: readonly Variant[],
  campaignId: string,
  customerId: string,
): { index: number; template: string } {
  const total = variants.reduce((s, v) => s + v.weight, 0);
  let x = unitHash(campaignId, customerId) * total;
  for (let i = 0; i < variants.length; i++) {
    x -= variants[i].weight;
    if (x < 0) return { index: i, template: variants[i].template };
  }
  return { index: variants.length - 1, template: variants[variants.length - 1].template };
}
