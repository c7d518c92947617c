/**
 * Where a webhook may point: http(s) only, no credentials in the URL, and (unless
 * WEBHOOK_ALLOW_PRIVATE) no address of a private, loopback, link-local or otherwise internal
 * network, so a subscription cannot make the hub call its own database, Redis or a cloud
 * metadata service. Checked when the subscription is saved and again before each delivery
 * (the name may resolve elsewhere by then).
 */
import { lookup } from 'dns/promises';
import { BlockList, isIP } from 'net';

const INTERNAL = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  INTERNAL.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  INTERNAL.addSubnet(net, bits, 'ipv6');

/** Whether an IP address is internal (IPv4-mapped IPv6 addresses read as their IPv4). */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return INTERNAL.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return INTERNAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Why the URL's form is refused, or null (no network access). */
export function urlFormProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url: not a valid URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'url: must be http or https';
  if (url.username || url.password) return 'url: must not carry a user name or password';
  return null;
}

/** Why the URL may not be called, or null: the form, then every address its host resolves to. */
export async function webhookUrlProblem(
  raw: string,
  allowPrivate: boolean,
): Promise<string | null> {
  const form = urlFormProblem(raw);
  if (form || allowPrivate) return form;
  const host = new URL(raw).hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return `url: the host ${host} does not resolve`;
  }
  const internal = addresses.find(isInternalAddress);
  return internal
    ? `url: ${host} is an address of a private network (${internal}); set WEBHOOK_ALLOW_PRIVATE to allow it`
    : null;
}
