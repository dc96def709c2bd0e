// The console's two languages. Every label lives in a table of English and Chinese strings; pages add their own
// tables with addStrings. The choice is remembered in localStorage (it is not a secret).

const strings = { en: {}, zh: {} };
const listeners = new Set();
let language = initialLanguage();

function initialLanguage() {
  const stored = localStorage.getItem('civic.language');
  if (stored === 'en' || stored === 'zh') return stored;
  return (navigator.language || '').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** Adds a page's strings: `{en: {key: text}, zh: {key: text}}`. */
export function addStrings(table) {
  for (const lang of ['en', 'zh']) Object.assign(strings[lang], table[lang] || {});
}

/**
 * The text of `key` in the current language, with `{name}` placeholders filled from `params`.
 * Falls back to English, then to the key itself, so a missing string is visible rather than blank.
 */
export function t(key, params = {}) {
  const text = strings[language][key] ?? strings.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** The current language, `en` or `zh`. */
export function currentLanguage() { return language; }

/** Switches the language and tells every listener (the shell re-renders the page). */
export function setLanguage(next) {
  if (next !== 'en' && next !== 'zh') return;
  language = next;
  localStorage.setItem('civic.language', next);
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  for (const listener of listeners) listener(next);
}

/** Calls `listener(language)` after every switch. */
export function onLanguageChange(listener) { listeners.add(listener); }

document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
