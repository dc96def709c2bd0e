// The node's JSON API, from the page. Answers that are errors become ApiError with the API's stable code.
// The session token (after sign-in) is kept here, in memory only, and sent as an Authorization header.

let token = null;

/** An error answer of the API (or of the network), with its stable code. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Sets (or clears, with null) the session token sent with every request. */
export function setToken(value) { token = value; }

async function request(method, path, body, options = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload;
  if (body instanceof Uint8Array) {
    headers['Content-Type'] = 'application/octet-stream';
    payload = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: 'omit', cache: 'no-store', signal: options.signal });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network.unreachable', `The node did not answer: ${error.message}`);
  }
  if (options.raw) {
    if (!response.ok) throw await errorOf(response);
    return response;
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON: reported below */ }
  if (!response.ok && !(options.accept || []).includes(response.status)) {
    throw new ApiError(response.status, json?.code ?? json?.error?.code ?? 'http.' + response.status,
      json?.message ?? json?.error?.message ?? text.slice(0, 200));
  }
  if (json === null && text) throw new ApiError(response.status, 'api.not_json', 'The node answered something that is not JSON.');
  return json;
}

async function errorOf(response) {
  const text = await response.text();
  try {
    const json = JSON.parse(text);
    return new ApiError(response.status, json.error?.code ?? json.code ?? 'http.' + response.status, json.error?.message ?? json.message ?? text);
  } catch {
    return new ApiError(response.status, 'http.' + response.status, text.slice(0, 200));
  }
}

/** GET `path`, as JSON. `options.accept` lists error statuses answered as values (e.g. [404]). */
export function get(path, options) { return request('GET', path, undefined, options); }
/** POST a JSON value (or bytes) to `path`. */
export function post(path, body, options) { return request('POST', path, body, options); }
/** DELETE `path`. */
export function del(path, options) { return request('DELETE', path, undefined, options); }
/** GET `path` as a fetch Response (text, bytes or a file to save). */
export function getRaw(path) { return request('GET', path, undefined, { raw: true }); }

/** Percent-encodes one path segment. */
export function segment(value) { return encodeURIComponent(String(value)); }
