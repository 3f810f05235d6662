// The public API, called with the key the user signed in with (kept for this tab only).
const STORE = 'c2m.console.session';

export function session() {
  try {
    return JSON.parse(sessionStorage.getItem(STORE) ?? 'null');
  } catch {
    return null;
  }
}
export const saveSession = (s) => sessionStorage.setItem(STORE, JSON.stringify(s));
export const clearSession = () => sessionStorage.removeItem(STORE);

/** A non-2xx answer, carrying the problem+json body (code, detail, errors by field). */
export class ProblemError extends Error {
  constructor(status, problem, headers) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code ?? `HTTP_${status}`;
    this.errors = Array.isArray(problem?.errors) ? problem.errors : [];
    this.retryAfter = headers?.get('retry-after') ?? null;
  }
}

let onUnauthenticated = () => {};
export const setUnauthenticatedHandler = (fn) => (onUnauthenticated = fn);

/** `path` is relative to the account: '/campaigns' → /v1/accounts/{a}/campaigns. */
export async function api(method, path, { body, query, headers = {}, accept, raw = false, auth } = {}) {
  const s = auth ?? session();
  if (!s) throw new ProblemError(401, { code: 'UNAUTHENTICATED', detail: 'not signed in' });
  const url = new URL(`/v1/accounts/${encodeURIComponent(s.accountId)}${path}`, location.origin);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  const init = { method, headers: { authorization: `Bearer ${s.key}`, accept: accept ?? 'application/json', ...headers } };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(url, init);
  if (!res.ok) {
    let problem = null;
    try {
      problem = await res.json();
    } catch {
      // not problem+json (a proxy in between): the status says enough
    }
    const err = new ProblemError(res.status, problem, res.headers);
    if (res.status === 401 && !auth) onUnauthenticated(err);
    throw err;
  }
  if (raw) return res;
  return res.status === 204 ? null : res.json();
}

let consoleConfig;
/** Where the Temporal UI lives (served unauthenticated by the API). */
export async function config() {
  consoleConfig ??= fetch('config.json').then((r) => r.json());
  return consoleConfig;
}

/** A link to the workflow in the Temporal UI, by ID (so it finds the current run whatever it is). */
export async function temporalLink(workflowId, label = 'Open workflow in Temporal UI') {
  const c = await config();
  const query = `WorkflowId="${workflowId.replaceAll('"', '\\"')}"`;
  const a = document.createElement('a');
  a.href = `${c.temporalUiUrl}/namespaces/${encodeURIComponent(c.temporalNamespace)}/workflows?query=${encodeURIComponent(query)}`;
  a.target = '_blank';
  a.rel = 'noopener';
  a.className = 'temporal-link';
  a.dataset.workflowId = workflowId;
  a.textContent = label;
  return a;
}
