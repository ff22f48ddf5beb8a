// Small DOM helpers: every piece of archived text goes in as a text node, never as HTML.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) {
      continue;
    }
    if (k === 'class') {
      el.className = v;
    } else if (k.startsWith('on')) {
      el.addEventListener(k.slice(2), v);
    } else if (v === true) {
      el.setAttribute(k, '');
    } else {
      el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el, ...children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) {
      continue;
    }
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** A span showing `fallback` until the promise gives the name; its title keeps the id. */
export function lazyName(promise, id, cls = 'name') {
  const el = h('span', { class: cls, title: id == null ? null : String(id) }, id == null ? '' : String(id));
  promise.then((name) => { el.textContent = name; });
  return el;
}

/** Times are shown, and typed, in UTC: the archive's clock and the one regulators ask about. */
export function fmtTime(iso) {
  if (!iso) {
    return '';
  }
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : d.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

/** @return the ISO instant of a datetime-local value read as UTC, or '' */
export function fromLocalInput(value) {
  if (!value) {
    return '';
  }
  const d = new Date(value + (value.length === 16 ? ':00' : '') + 'Z');
  return isNaN(d) ? '' : d.toISOString();
}

/** @return a datetime-local value (UTC) of an ISO instant */
export function toLocalInput(iso) {
  if (!iso) {
    return '';
  }
  const d = new Date(iso);
  return isNaN(d) ? '' : d.toISOString().slice(0, 19);
}

/** The words of a search query worth marking: no operators, exclusions or mentions. */
export function highlightTerms(q) {
  const terms = [];
  for (const m of (q || '').matchAll(/"([^"]+)"|(\S+)/g)) {
    const t = m[1] || m[2];
    if (!t || t === 'OR' || t === 'AND' || t.startsWith('-') || t.startsWith('@') || t.startsWith('mention:')) {
      continue;
    }
    terms.push(t.replace(/^[()]+|[()]+$/g, ''));
  }
  return terms.filter((t) => t.length > 0);
}

/** @return `text` as nodes with each occurrence of a term (case-insensitive) in a mark element */
export function highlighted(text, terms) {
  const s = text || '';
  if (!terms.length) {
    return [s];
  }
  const escaped = terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp('(' + escaped.join('|') + ')', 'gi');
  const out = [];
  let last = 0;
  for (const m of s.matchAll(re)) {
    if (m.index > last) {
      out.push(s.slice(last, m.index));
    }
    out.push(h('mark', {}, m[0]));
    last = m.index + m[0].length;
  }
  out.push(s.slice(last));
  return out;
}

/** @return a table of rows (objects) with the given columns ([key, label, render?]) */
export function table(rows, columns, caption) {
  return h('table', {},
    caption ? h('caption', { class: 'hint' }, caption) : null,
    h('thead', {}, h('tr', {}, columns.map(([, label]) => h('th', { scope: 'col' }, label)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, columns.map(([key, , render]) =>
      h('td', { class: /sha|Sha|Id$|id$/.test(key) ? 'mono' : null }, render ? render(r) : fmtCell(r[key])))))));
}

function fmtCell(v) {
  if (v === null || v === undefined) {
    return '';
  }
  if (typeof v === 'object') {
    return JSON.stringify(v);
  }
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(v)) {
    return fmtTime(v);
  }
  return String(v);
}

export function errorBox(err) {
  const detail = err && err.detail ? err.detail : (err && err.message) || String(err);
  return h('div', { class: 'alert', role: 'alert' }, detail);
}
