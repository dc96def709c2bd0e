// Building the page without innerHTML: every value from the chain becomes text, never markup.
import { t, currentLanguage } from './i18n.js';

let nextId = 0;

/**
 * Creates an element. `props` may hold `class`, `text`, `id`, `dataset` (object), `attrs` (object), `on` (object of
 * event handlers) and any DOM property (e.g. `href`, `type`, `value`, `hidden`). Children are nodes, strings
 * (as text), arrays, or null/false (skipped).
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null) continue;
    if (name === 'class') element.className = value;
    else if (name === 'text') element.textContent = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name === 'attrs') for (const [key, v] of Object.entries(value)) { if (v !== null && v !== undefined && v !== false) element.setAttribute(key, v === true ? '' : v); }
    else if (name === 'on') for (const [event, handler] of Object.entries(value)) element.addEventListener(event, handler);
    else element[name] = value;
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child instanceof Node ? child : String(child));
  }
}

/** A fresh element id, for labels and aria references. */
export function uid(prefix = 'c') { nextId += 1; return `${prefix}-${nextId}`; }

/** Replaces the children of `element`. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** A link inside the console (`route` without the leading `#`). */
export function link(route, text, props = {}) { return h('a', { href: '#' + route, ...props }, text); }

/** A page heading and optional intro paragraph. */
export function heading(title, intro) {
  return [h('h1', { text: title, tabIndex: -1, class: 'page-title' }), intro ? h('p', { class: 'intro', text: intro }) : null];
}

/** A titled section. */
export function section(title, ...children) {
  const id = uid('section');
  return h('section', { class: 'panel', attrs: { 'aria-labelledby': id } }, h('h2', { id, text: title }), ...children);
}

/**
 * An accessible table. `columns` are `{label, value: row => node|string, class?}`; an empty `rows` shows `empty`.
 * Wide tables scroll inside their own box on a phone.
 */
export function table(columns, rows, { caption, empty, testid } = {}) {
  if (!rows || rows.length === 0) return h('p', { class: 'empty', text: empty ?? t('common.none') });
  return h('div', { class: 'table-scroll', attrs: { role: 'region', 'aria-label': caption ?? '', tabindex: '0' }, dataset: testid ? { testid } : undefined },
    h('table', {},
      caption ? h('caption', { class: 'visually-hidden', text: caption }) : null,
      h('thead', {}, h('tr', {}, columns.map(column => h('th', { scope: 'col', text: column.label, class: column.class })))),
      h('tbody', {}, rows.map(row => h('tr', {}, columns.map(column => h('td', { class: column.class, attrs: { 'data-label': column.label } }, column.value(row))))))));
}

/** A definition list of `[label, value]` pairs (values may be nodes); pairs with an undefined value are skipped. */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(pair => pair && pair[1] !== undefined && pair[1] !== null)
    .map(([label, value]) => [h('dt', { text: label }), h('dd', {}, value)]));
}

/** A status badge; `kind` is ok, warn, bad or info. */
export function badge(text, kind = 'info') { return h('span', { class: `badge ${kind}`, text }); }

/** A notice; errors are announced (role alert), others politely (role status). */
export function notice(text, kind = 'info') {
  return h('div', { class: `notice ${kind}`, attrs: { role: kind === 'bad' ? 'alert' : 'status' } }, text);
}

/** The notice for a failed load or action, naming the API's error code. */
export function errorNotice(error) {
  const code = error && error.code ? ` (${error.code})` : '';
  return notice(`${t('common.error')}: ${error && error.message ? error.message : String(error)}${code}`, 'bad');
}

/** A labelled form control. `control` is an input, select or textarea; `hint` is shown under it. */
export function field(label, control, hint) {
  const id = control.id || uid('field');
  control.id = id;
  const hintId = hint ? uid('hint') : null;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'field' }, h('label', { htmlFor: id, text: label }), control, hint ? h('small', { id: hintId, text: hint }) : null);
}

/** A button. `kind` is primary (default), secondary or danger. */
export function button(label, onClick, { kind = 'primary', type = 'button', testid } = {}) {
  return h('button', { type, class: `button ${kind === 'primary' ? '' : kind}`.trim(), text: label, on: onClick ? { click: onClick } : undefined, dataset: testid ? { testid } : undefined });
}

/** A hash or key, shortened for reading, whole in its title and when copied; links to `route` when given. */
export function hash(value, route) {
  if (!value) return '—';
  const short = value.length > 20 ? `${value.slice(0, 10)}…${value.slice(-6)}` : value;
  const props = { class: 'mono', title: value, attrs: { 'aria-label': value } };
  return route ? link(route, short, props) : h('span', props, short);
}

/** A time (milliseconds since 1970) in the reader's language and time zone. */
export function time(ms) {
  if (!ms && ms !== 0) return '—';
  const date = new Date(Number(ms));
  return h('time', { dateTime: date.toISOString(), text: date.toLocaleString(currentLanguage() === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false }) });
}

/** "3 minutes ago" in the reader's language. */
export function ago(ms) {
  const seconds = Math.round((Date.now() - Number(ms)) / 1000);
  const format = new Intl.RelativeTimeFormat(currentLanguage() === 'zh' ? 'zh-CN' : 'en', { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return format.format(-seconds, 'second');
  if (abs < 3600) return format.format(-Math.round(seconds / 60), 'minute');
  if (abs < 86400) return format.format(-Math.round(seconds / 3600), 'hour');
  return format.format(-Math.round(seconds / 86400), 'day');
}

/** A byte count as B, KiB, MiB or GiB. */
export function bytes(count) {
  if (count === undefined || count === null) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = Number(count), unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** A number with the reader's grouping. */
export function number(value) {
  return value === undefined || value === null ? '—' : Number(value).toLocaleString(currentLanguage() === 'zh' ? 'zh-CN' : 'en');
}

/** Saves `data` (a string or bytes) as a file the browser downloads. */
export function download(filename, data, type = 'application/octet-stream') {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const anchor = h('a', { href: url, download: filename, hidden: true });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** Reads a File chosen or dropped by the person, as bytes. */
export async function readFile(file) { return new Uint8Array(await file.arrayBuffer()); }

/** Reads a form's named controls into an object (checkbox groups become arrays). */
export function formValues(form) {
  const values = {};
  for (const element of form.elements) {
    if (!element.name) continue;
    if (element.type === 'checkbox') {
      if (!Array.isArray(values[element.name])) values[element.name] = [];
      if (element.checked) values[element.name].push(element.value);
    } else if (element.type === 'radio') {
      if (element.checked) values[element.name] = element.value;
    } else if (element.type !== 'file' && element.type !== 'submit' && element.type !== 'button') {
      values[element.name] = element.value.trim();
    }
  }
  return values;
}
