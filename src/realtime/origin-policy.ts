/**
 * Which browser origins may open the socket.io namespaces. A connection without an Origin
 * header is not a browser page (a server, a test client): it is let through, as it must prove
 * itself in the namespace's own way (an agent's token, a visitor token). A page of the hub itself
 * (its Host, or PUBLIC_URL's origin) is always accepted; any other origin only when ALLOWED_ORIGINS
 * lists it, except on /chat while ALLOWED_ORIGINS is unset: the widget runs on customers' sites.
 */
export interface OriginRules {
  /** PUBLIC_URL's origin. */
  publicOrigin: string;
  /** ALLOWED_ORIGINS, normalized; undefined when unset. */
  allowed: readonly string[] | undefined;
  /** Namespaces that accept any origin while ALLOWED_ORIGINS is unset. */
  openWhenUnset: readonly string[];
}

export interface Handshake {
  namespace: string;
  origin: string | undefined;
  /** The Host header the browser sent (behind a proxy, PUBLIC_URL names the public origin). */
  host: string | undefined;
}

/** null when the handshake may go on, else why not (the message the client's connect_error carries). */
export function refuseOrigin(h: Handshake, rules: OriginRules): string | null {
  if (h.origin === undefined || h.origin === '') return null;
  const origin = normalize(h.origin);
  if (origin !== null) {
    if (h.host !== undefined && new URL(origin).host === h.host.toLowerCase()) return null;
    if (origin === rules.publicOrigin) return null;
    if (rules.allowed?.includes(origin)) return null;
  }
  if (rules.allowed === undefined && rules.openWhenUnset.includes(h.namespace)) return null;
  return `origin ${h.origin.slice(0, 200)} is not allowed on ${h.namespace} (ALLOWED_ORIGINS)`;
}

/** The origin as URL.origin spells it, or null for "null" and anything that is not http(s). */
function normalize(origin: string): string | null {
  if (!URL.canParse(origin)) return null;
  const u = new URL(origin);
  return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
}

/** The first value of a header that may be repeated or comma-joined. */
export function firstHeader(v: string | string[] | undefined): string | undefined {
  const first = Array.isArray(v) ? v[0] : v;
  return first?.split(',')[0].trim() || undefined;
}
