/** Reading Twilio's form fields, which arrive as strings (or string arrays when repeated). */
export function field(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
  if (value === undefined || value === null || value === '') return undefined;
  return String(value);
}

export function intField(body: Record<string, unknown>, name: string): number | undefined {
  const raw = field(body, name);
  if (raw === undefined) return undefined;
  const n = Number.parseInt(raw, 10);
  return Number.isFinite(n) ? n : undefined;
}
