// The JSON API as the page uses it: the officer's token (sessionStorage only), one fetch helper that turns every
// refusal into an ApiError carrying the API's {error, detail}, and cached id -> name look-ups.
const TOKEN = 'datahose.token';
const OFFICER = 'datahose.officer';

export const session = {
  token: () => sessionStorage.getItem(TOKEN),
  officer: () => JSON.parse(sessionStorage.getItem(OFFICER) || 'null'),
  start(token, officer) {
    sessionStorage.setItem(TOKEN, token);
    sessionStorage.setItem(OFFICER, JSON.stringify(officer));
  },
  clear() {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(OFFICER);
    users.clear();
    streams.clear();
  },
};

export class ApiError extends Error {
  constructor(status, error, detail) {
    super(detail || error || ('HTTP ' + status));
    this.status = status;
    this.error = error;
    this.detail = detail;
  }
}

let onUnauthorized = () => {};
/** Called when a signed-in call answers 401 (token revoked meanwhile): the page goes back to sign-in. */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

/** @return the URL of an API path with the non-empty parameters of params */
export function apiUrl(path, params = {}) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') {
      url.searchParams.set(k, v);
    }
  }
  return url;
}

/** Sends one API request with the session's token (or `token`); @return the answer's JSON or fails with ApiError. */
export async function api(path, params = {}, { method = 'GET', token = session.token(), raw = false } = {}) {
  const res = await fetch(apiUrl(path, params), {
    method,
    headers: { Authorization: 'Bearer ' + token, Accept: 'application/json' },
    cache: 'no-store',
    credentials: 'omit',
  });
  if (!res.ok) {
    let body = {};
    try {
      body = await res.json();
    } catch (e) {
      // not JSON: keep the status line
    }
    const err = new ApiError(res.status, body.error || res.statusText, body.detail || '');
    if (res.status === 401 && token === session.token() && session.token()) {
      onUnauthorized(err);
    }
    throw err;
  }
  return raw ? res : res.json();
}

const users = new Map();
const streams = new Map();

/** @return a user's name as the archive last saw it, or the id itself */
export function displayName(u) {
  if (!u) {
    return '';
  }
  return u.displayName || [u.firstName, u.lastName].filter(Boolean).join(' ') || u.username || u.email || String(u.userId);
}

/** @return a promise of the user's display name (cached per page session); never fails */
export function userName(id) {
  if (id === null || id === undefined) {
    return Promise.resolve('(unknown)');
  }
  const key = String(id);
  if (!users.has(key)) {
    users.set(key, api('/api/v1/users', { q: key, limit: 5 })
      .then((page) => displayName(page.items.find((u) => String(u.userId) === key)) || key, () => key));
  }
  return users.get(key);
}

/** @return a promise of {name, type, external} of a stream (cached per page session); never fails */
export function streamInfo(id) {
  if (!streams.has(id)) {
    streams.set(id, api('/api/v1/streams/' + encodeURIComponent(id))
      .then((s) => ({
        name: s.roomName || (s.streamType ? s.streamType + ' ' + id.slice(0, 8) + '…' : id),
        type: s.streamType,
        external: s.external,
      }), () => ({ name: id, type: null })));
  }
  return streams.get(id);
}
