/** Plain-string views of mailparser's header map and of Message-ID lists. */
export type HeaderMap = ReadonlyMap<string, unknown>;

/** The header's value as text (structured headers give their main value), or undefined. */
export function headerText(headers: HeaderMap, name: string): string | undefined {
  const value = headers.get(name.toLowerCase());
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value))
    return value.map((v) => (typeof v === 'string' ? v : structuredValue(v))).join(' ');
  return structuredValue(value);
}

function structuredValue(value: unknown): string {
  if (typeof value === 'object' && value !== null && 'value' in value) {
    const inner = (value as { value: unknown }).value;
    if (typeof inner === 'string') return inner;
  }
  return String(value);
}

/** The ids of a Message-ID, In-Reply-To or References value, without angle brackets. */
export function messageIds(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  const text = typeof value === 'string' ? value : value.join(' ');
  return [...text.matchAll(/<([^<>\s]+)>|([^\s<>,]+@[^\s<>,]+)/g)].map((m) => m[1] ?? m[2]);
}

/** "<id>" for an id given with or without brackets. */
export function bracketed(id: string): string {
  const bare = id.trim().replace(/^<|>$/g, '');
  return `<${bare}>`;
}

/** The parameters of a structured header (Content-Type's boundary, report-type...). */
export function headerParams(headers: HeaderMap, name: string): Record<string, string> {
  const value = headers.get(name.toLowerCase());
  if (typeof value !== 'object' || value === null || !('params' in value)) return {};
  const params = (value as { params: unknown }).params;
  if (typeof params !== 'object' || params === null) return {};
  return Object.fromEntries(
    Object.entries(params).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}
