// Capture coverage (officer), the access log (auditor), officers and backups (admin).
import { api } from './api.js';
import { h, append, fmtTime, fromLocalInput, toLocalInput, table, errorBox } from './dom.js';

const DAY = 24 * 60 * 60 * 1000;
const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) {
    el.setAttribute(k, String(v));
  }
  children.forEach((c) => el.append(c instanceof Node ? c : document.createTextNode(String(c))));
  return el;
}

export async function renderCoverage(view) {
  const to = new Date();
  const from = new Date(to.getTime() - 30 * DAY);
  append(view, h('h1', {}, 'Capture coverage'),
    h('p', { class: 'hint' }, 'The last 30 days, ' + fmtTime(from.toISOString()) + ' to ' + fmtTime(to.toISOString())
      + '. A capture gap is time when the feed was not read successfully: the archive may be missing events there.'));
  const [cov, health] = await Promise.all([
    api('/api/v1/capture', { from: from.toISOString(), to: to.toISOString() }),
    fetch('/health', { cache: 'no-store', credentials: 'omit' }).then((r) => r.json()).catch(() => null),
  ]);
  append(view, timeline(cov, from, to),
    h('p', { id: 'coverage-summary', class: cov.complete ? 'okay' : 'note' },
      (cov.coverage * 100).toFixed(3) + '% covered, ' + cov.gaps.length + ' gap(s), ' + cov.gapSeconds + ' s of gaps; '
      + cov.reads + ' reads, ' + cov.events + ' events, ' + cov.failures + ' failed reads'
      + (cov.lastReadAt ? '; last read ' + fmtTime(cov.lastReadAt) : '')),
    h('h2', {}, 'Capture gaps'),
    cov.gaps.length ? table(cov.gaps, [['from', 'From'], ['to', 'To', (g) => g.open ? 'still open' : fmtTime(g.to)],
      ['cause', 'Cause']]) : h('p', { class: 'hint' }, 'None in these 30 days.'),
    h('h2', {}, 'Feed state'),
    health ? feedState(health) : h('p', { class: 'note' }, 'The health endpoint did not answer.'));
}

function timeline(cov, from, to) {
  const W = 1000;
  const x = (t) => Math.max(0, Math.min(W, ((new Date(t).getTime() - from.getTime()) / (to - from)) * W));
  const first = cov.firstReadAt ? x(cov.firstReadAt) : W;
  const bar = svg('svg', { class: 'timeline', viewBox: '0 0 ' + W + ' 88', preserveAspectRatio: 'none', role: 'img',
    'aria-labelledby': 'timeline-title', id: 'coverage-timeline' },
  svg('title', { id: 'timeline-title' }, 'Capture timeline: ' + cov.gaps.length + ' gap(s) in 30 days'),
  svg('rect', { class: 'before', x: 0, y: 10, width: first, height: 40 }),
  svg('rect', { class: 'covered', x: Math.min(first, W - 3), y: 10, width: Math.max(3, W - first), height: 40 }));
  for (const g of cov.gaps) {
    const a = x(g.from);
    const b = g.open || !g.to ? W : x(g.to);
    bar.append(svg('rect', { class: 'gap', x: a, y: 10, width: Math.max(2, b - a), height: 40, 'data-gap': g.id }));
  }
  for (let d = 0; d <= 30; d += 5) {
    const t = new Date(from.getTime() + d * DAY);
    const px = (d / 30) * W;
    bar.append(svg('rect', { x: Math.min(px, W - 1), y: 52, width: 1, height: 8, fill: '#4a5563' }),
      svg('text', { x: Math.min(Math.max(px, 18), W - 22), y: 76, 'text-anchor': 'middle' }, t.toISOString().slice(5, 10)));
  }
  return h('figure', {}, bar, h('figcaption', { class: 'legend' }, h('span', { class: 'l-covered' }, 'covered'),
    h('span', { class: 'l-gap' }, 'capture gap'), h('span', { class: 'l-before' }, 'before the first read')));
}

function feedState(health) {
  const c = health.checks || {};
  const slots = (c.feed && c.feed.slots) || [];
  return h('div', { id: 'feed-state' },
    h('p', {}, 'Daemon: ', h('strong', {}, health.status), ' · feed ', h('strong', {}, c.feed ? c.feed.status : '?'),
      ' · Agent ', h('strong', {}, c.agent ? c.agent.status : '?'),
      ' · database ', h('strong', {}, c.database ? c.database.status : '?'),
      ' · backup ', h('strong', {}, c.backup ? c.backup.status : '?')),
    table(slots, [['slot', 'Reader slot'], ['state', 'State'], ['lastSuccessfulRead', 'Last successful read'],
      ['reads', 'Reads'], ['stored', 'Stored'], ['consecutiveFailures', 'Failures in a row'], ['lastError', 'Last error']]));
}

export async function renderAccessLog(view, params) {
  const f = { officer: params.get('officer') || '', from: params.get('from') || '', to: params.get('to') || '' };
  const cursor = params.get('cursor') || '';
  const officer = h('input', { id: 'log-officer', value: f.officer, autocomplete: 'off' });
  const from = h('input', { id: 'log-from', type: 'datetime-local', step: 1, value: toLocalInput(f.from) });
  const to = h('input', { id: 'log-to', type: 'datetime-local', step: 1, value: toLocalInput(f.to) });
  const form = h('form', { class: 'panel', onsubmit: (e) => {
    e.preventDefault();
    const next = { officer: officer.value.trim(), from: fromLocalInput(from.value), to: fromLocalInput(to.value) };
    location.hash = '#/access-log?' + new URLSearchParams(Object.fromEntries(Object.entries(next).filter(([, v]) => v)));
  } }, h('div', { class: 'grid' }, h('label', { for: 'log-officer' }, 'Officer', officer),
    h('label', { for: 'log-from' }, 'From (UTC)', from), h('label', { for: 'log-to' }, 'To (UTC)', to)),
  h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'log-submit' }, 'Filter'),
    h('a', { href: '#/access-log', class: 'button secondary' }, 'Clear')));
  append(view, h('h1', {}, 'Access log'),
    h('p', { class: 'hint' }, 'Every request to the archive, refused ones included, newest last. Nothing can change it.'), form);
  const page = await api('/api/v1/access-log', { ...f, cursor, limit: 100 });
  append(view, h('div', { id: 'access-log' }, table(page.items, [['at', 'Time'], ['officer', 'Officer'],
    ['method', 'Method'], ['route', 'Route'], ['parameters', 'Parameters', (r) => JSON.stringify(r.parameters || {})],
    ['status', 'Status'], ['resultCount', 'Results'], ['remoteAddress', 'From address']],
  page.count + (page.nextCursor ? ' entries on this page' : ' entries'))),
  page.nextCursor ? h('nav', { class: 'pager' }, h('a', { id: 'log-next', href: '#/access-log?'
    + new URLSearchParams({ ...Object.fromEntries(Object.entries(f).filter(([, v]) => v)), cursor: page.nextCursor }) },
  'Next page')) : null);
}

export async function renderOfficers(view) {
  append(view, h('h1', {}, 'Officers'));
  const list = h('div', { id: 'officers' });
  const issued = h('div', { id: 'officer-issued', 'aria-live': 'polite' });
  const name = h('input', { id: 'officer-name', required: true, pattern: '[\\w.@\\-]{1,100}', autocomplete: 'off' });
  const role = h('select', { id: 'officer-role' }, ['officer', 'auditor', 'admin'].map((r) => h('option', { value: r }, r)));
  const refresh = async () => {
    const answer = await api('/api/v1/admin/officers');
    list.replaceChildren(table(answer.items, [['name', 'Name'], ['role', 'Role'], ['createdAt', 'Created'],
      ['revokedAt', 'Revoked'], ['active', 'Action', (o) => o.active ? revokeButton(o.name, refresh, issued) : 'revoked']]));
  };
  append(view, h('form', { class: 'panel', onsubmit: async (e) => {
    e.preventDefault();
    try {
      const added = await api('/api/v1/admin/officers', { name: name.value.trim(), role: role.value }, { method: 'POST' });
      issued.replaceChildren(h('div', { class: 'note' }, 'Officer “' + added.name + '” (' + added.role + ') added. '
        + 'Give them this token now; it is shown only once:', h('code', { class: 'token', id: 'issued-token' }, added.token)));
      name.value = '';
      await refresh();
    } catch (err) {
      issued.replaceChildren(errorBox(err));
    }
  } }, h('h2', {}, 'Add an officer'), h('div', { class: 'grid' }, h('label', { for: 'officer-name' }, 'Name', name),
    h('label', { for: 'officer-role' }, 'Role', role)),
  h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'officer-add' }, 'Add officer'))), issued, list);
  await refresh();
}

function revokeButton(name, refresh, out) {
  const button = h('button', { type: 'button', class: 'danger', 'data-revoke': name, onclick: async () => {
    if (button.dataset.armed !== 'yes') {
      button.dataset.armed = 'yes';
      button.textContent = 'Confirm: revoke ' + name;
      return;
    }
    try {
      await api('/api/v1/admin/officers/' + encodeURIComponent(name), {}, { method: 'DELETE' });
      out.replaceChildren(h('p', { class: 'okay' }, 'Revoked “' + name + '”: their token no longer works.'));
      await refresh();
    } catch (err) {
      out.replaceChildren(errorBox(err));
    }
  } }, 'Revoke');
  return button;
}

export async function renderBackups(view) {
  const out = h('div', { id: 'backup-result', 'aria-live': 'polite' });
  const last = h('p', { class: 'hint', id: 'backup-last' });
  const loadLast = () => fetch('/health', { cache: 'no-store', credentials: 'omit' }).then((r) => r.json()).then((hl) => {
    const b = (hl.checks || {}).backup || {};
    last.textContent = 'Last backup: ' + (b.lastBackupAt ? fmtTime(b.lastBackupAt) : 'none yet') + ' (status ' + (b.status || '?') + ').';
  }, () => {});
  const button = h('button', { type: 'button', id: 'backup-run', onclick: async () => {
    button.disabled = true;
    out.replaceChildren(h('p', {}, 'Backing up and verifying…'));
    try {
      const b = await api('/api/v1/admin/backups', {}, { method: 'POST' });
      out.replaceChildren(h('p', { class: 'okay' }, 'Backup written and verified.'),
        table([b], [['file', 'File'], ['events', 'Events'], ['lastSeq', 'Last seq'], ['schemaVersion', 'Schema'],
          ['verification', 'Verification']]));
      loadLast();
    } catch (err) {
      out.replaceChildren(errorBox(err));
    } finally {
      button.disabled = false;
    }
  } }, 'Back up now');
  append(view, h('h1', {}, 'Backups'), h('p', { class: 'hint' }, 'An online backup while capture keeps running; the copy is '
    + 'opened and checked before it is reported.'), last, h('div', { class: 'actions' }, button), out);
  await loadLast();
}
