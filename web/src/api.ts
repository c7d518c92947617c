// The session kept in localStorage and the API's errors as ApiError; calls go through api/client.ts.
import type { User } from './types';

const TOKEN_KEY = 'hub.token';
const USER_KEY = 'hub.user';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The error's `details` from the server (e.g. `{twoFactorRequired: true}`), when it sent any. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function errorDetails(body: unknown): Record<string, unknown> {
  if (body && typeof body === 'object' && 'details' in body) {
    const d = (body as { details: unknown }).details;
    if (d && typeof d === 'object') return d as Record<string, unknown>;
  }
  return {};
}

type UnauthorizedListener = () => void;
let onUnauthorized: UnauthorizedListener = () => undefined;

export function setUnauthorizedListener(listener: UnauthorizedListener): void {
  onUnauthorized = listener;
}

/** A 401 on anything but the login itself means the session is gone. */
export function noticeUnauthorized(status: number, path: string): void {
  if (status === 401 && !path.endsWith('/auth/login')) onUnauthorized();
}

export function getToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function getStoredUser(): User | null {
  try {
    const raw = localStorage.getItem(USER_KEY);
    return raw ? (JSON.parse(raw) as User) : null;
  } catch {
    return null;
  }
}

export function storeSession(token: string, user: User | null): void {
  localStorage.setItem(TOKEN_KEY, token);
  if (user) localStorage.setItem(USER_KEY, JSON.stringify(user));
}

export function clearSession(): void {
  localStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(USER_KEY);
}

export function errorMessage(status: number, body: unknown): string {
  if (body && typeof body === 'object' && 'message' in body) {
    const m = (body as { message: unknown }).message;
    if (Array.isArray(m)) return m.join('; ');
    if (typeof m === 'string' && m) return m;
  }
  return `Request failed (HTTP ${status})`;
}

export function query(params: Record<string, string | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
