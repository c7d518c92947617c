/**
 * Addresses as the preference page shows them: enough to recognise, not enough to harvest from a
 * forwarded link. 13812345678 -> 138****5678, carol@example.com -> c***@example.com.
 */
export function maskAddress(kind: string, address: string): string {
  if (kind === 'email') {
    const at = address.lastIndexOf('@');
    if (at <= 0) return mask(address);
    return `${address[0]}***${address.slice(at)}`;
  }
  if (kind === 'phone') {
    const digits = address.replace(/^\+86(?=1\d{10}$)/, '');
    if (digits.length >= 8) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
    return mask(digits);
  }
  return mask(address);
}

/** First and last two characters of an id, the rest hidden (short ones entirely). */
function mask(value: string): string {
  const chars = [...value];
  if (chars.length <= 4) return '****';
  return `${chars.slice(0, 2).join('')}****${chars.slice(-2).join('')}`;
}
