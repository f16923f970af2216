// The public JSON/HTTP API (gRPC JSON transcoding) and the token that every call carries.

const tokenKey = 'egov-steering.dashboard.token';

/** The token: this tab's (sessionStorage), else the one remembered on this machine (localStorage). */
export function storedToken() {
  return sessionStorage.getItem(tokenKey) ?? localStorage.getItem(tokenKey);
}

export function saveToken(token, remember) {
  sessionStorage.setItem(tokenKey, token);
  if (remember) localStorage.setItem(tokenKey, token);
  else localStorage.removeItem(tokenKey);
}

export function forgetToken() {
  sessionStorage.removeItem(tokenKey);
  localStorage.removeItem(tokenKey);
}

/**
 * The sandbox prints the page's address with "#token=…": taken once, kept for this tab, and removed from the address
 * bar (a fragment never reaches a server or its logs, and is not left in the history).
 */
export function takeTokenFromAddress() {
  const match = /^#token=([^&#]+)/.exec(location.hash);
  if (!match) return;
  saveToken(decodeURIComponent(match[1]), false);
  history.replaceState(null, '', `${location.pathname}${location.search}#/`);
}

/** An error answer: the HTTP status and the google.rpc.Status of the body. */
export class ApiError extends Error {
  constructor(httpStatus, status) {
    super(status?.message || `HTTP ${httpStatus}`);
    this.httpStatus = httpStatus;
    this.code = status?.code ?? 0;
  }

  get needsToken() {
    return this.httpStatus === 401;
  }
}

let config = { membershipApi: '', decisionsApi: '', notificationsApi: '' };

/** Where each service's API is (config.json, written by the serving host: empty means this origin). */
export async function loadConfig() {
  const response = await fetch('config.json', { cache: 'no-cache' });
  if (response.ok) config = await response.json();
}

const baseOf = (service) => config[`${service}Api`] || location.origin;

/** The absolute URL of a path of a service's API, with query parameters given as [name, value] pairs. */
export function apiUrl(service, path, parameters = []) {
  const url = new URL(path, baseOf(service));
  for (const [name, value] of parameters) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.append(name, String(value));
  }
  return url;
}

export function authorization() {
  const token = storedToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

async function get(service, path, parameters) {
  const response = await fetch(apiUrl(service, path, parameters), {
    headers: { Accept: 'application/json', ...authorization() },
    cache: 'no-store',
  });
  if (!response.ok) {
    let status = null;
    try { status = await response.json(); } catch { /* not a google.rpc.Status body */ }
    throw new ApiError(response.status, status);
  }
  return response.json();
}

const asOfParameters = (date) => [['as_of.year', date.year], ['as_of.month', date.month], ['as_of.day', date.day]];

// Resource names ("committees/x", "decisions/y") are paths of the API as they are; each segment is escaped.
const resourcePath = (name) => `/v1/${name.split('/').map(encodeURIComponent).join('/')}`;

export const api = {
  nationalOverview: (asOf) => get('membership', '/v1/nationalOverview', asOfParameters(asOf)),
  committeeView: (committee, asOf) => get('membership', `${resourcePath(committee)}/view`, asOfParameters(asOf)),
  committee: (committee, asOf) => get('membership', resourcePath(committee), asOfParameters(asOf)),
  lineage: (committee) => get('membership', `${resourcePath(committee)}/lineage`),
  decision: (decision) => get('decisions', resourcePath(decision)),

  /** Every decision concerning the committee (all pages). */
  async decisionsOf(committee) {
    const decisions = [];
    let pageToken = '';
    do {
      const page = await get('decisions', '/v1/decisions', [['committee', committee], ['page_size', 500], ['page_token', pageToken]]);
      decisions.push(...(page.decisions ?? []));
      pageToken = page.nextPageToken ?? '';
    } while (pageToken);
    return decisions;
  },
};
