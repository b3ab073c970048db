// The JSON API client: one fetch wrapper that speaks problem bodies (RFC 9457: code,
// title, detail, field), sends the CSRF header on state changes, and never caches.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code || (status === 0 ? 'network' : 'http');
    this.title = problem.title || '';
    this.detail = problem.detail || '';
    this.field = problem.field || '';
    this.retryAfter = problem.retryAfter || 0;
  }
}

/** The value of a cookie readable by scripts (the CSRF cookie is; the session is not). */
export function cookie(name) {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return '';
}

/** 32 random hex digits, for Idempotency-Key (works outside secure contexts too). */
export function randomKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const SAFE = new Set(['GET', 'HEAD']);

/**
 * api('POST', '/api/v1/…', {body, idempotencyKey}) → the parsed JSON (null for 204).
 * Throws ApiError: status 0 with code "network" when the server could not be reached.
 */
export async function api(method, path, { body, idempotencyKey, signal } = {}) {
  const headers = { Accept: 'application/json' };
  // A file (an expert's photo) goes as it is, with its own type; everything else as JSON.
  const file = typeof Blob !== 'undefined' && body instanceof Blob;
  if (body !== undefined) headers['Content-Type'] = file ? body.type || 'application/octet-stream' : 'application/json';
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  if (!SAFE.has(method)) {
    const csrf = cookie('sp_csrf');
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined || file ? body : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
      signal,
    });
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError(0, { code: 'network', detail: String(err && err.message) });
  }
  if (res.status === 204 || method === 'HEAD') {
    if (!res.ok) throw new ApiError(res.status, { title: res.statusText });
    return null;
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const problem = data && typeof data === 'object' ? data : { title: res.statusText };
    problem.retryAfter = Number(res.headers.get('Retry-After')) || 0;
    throw new ApiError(res.status, problem);
  }
  return data;
}

export const get = (path, options) => api('GET', path, options);
export const post = (path, body, options = {}) => api('POST', path, { ...options, body });
export const put = (path, body, options = {}) => api('PUT', path, { ...options, body });
export const del = (path, options) => api('DELETE', path, options);

/** Path segment encoding for ids and tokens. */
export const seg = (value) => encodeURIComponent(String(value));

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') q.set(key, String(value));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
