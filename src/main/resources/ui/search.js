// Search: the /messages filters as a form, results with names and marked words, keyset pages, and an export of the
// current filter. The hash holds the filter (#/search?q=…&sender=…), so a link or a reload shows the same results.
import { api, session, userName, streamInfo, displayName } from './api.js';
import { h, append, lazyName, fmtTime, fromLocalInput, toLocalInput, highlightTerms, highlighted, errorBox } from './dom.js';
import { EXPORT_FORMATS, runExport } from './export.js';

const PAGE = 25;
const FILTER_KEYS = ['q', 'sender', 'participant', 'room', 'from', 'to', 'external', 'attachments'];

/** Filter in the hash -> the /messages parameters. */
function apiParams(f) {
  return {
    q: f.q, user: f.sender, participant: f.participant, stream: f.room, from: f.from, to: f.to,
    external: f.external ? 'true' : '', hasAttachments: f.attachments ? 'true' : '',
  };
}

export async function renderSearch(view, params) {
  const f = Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) || '']));
  const cursor = params.get('cursor') || '';
  const form = searchForm(f);
  const out = h('div', { id: 'results-area' });
  append(view, h('h1', {}, 'Search messages'), form, out);
  const any = FILTER_KEYS.some((k) => f[k]);
  if (!any) {
    out.append(h('p', { class: 'hint' }, 'Give keywords or any filter, then Search. Results are in archive order.'));
    return;
  }
  let page;
  try {
    page = await api('/api/v1/messages', { ...apiParams(f), cursor, limit: PAGE });
  } catch (err) {
    out.append(errorBox(err));
    return;
  }
  const terms = highlightTerms(f.q);
  out.append(
    h('h2', { id: 'results-heading' }, page.count === 0 ? 'No messages match'
      : (cursor ? 'More matches' : 'Matches') + ' (' + page.count + (page.nextCursor ? ' on this page' : '') + ')'),
    h('ol', { class: 'results', id: 'results', 'aria-labelledby': 'results-heading' },
      page.items.map((m) => hit(m, terms))),
    pager(f, cursor, page.nextCursor),
    exportPanel(f));
}

function hit(m, terms) {
  const conv = '#/conversation?' + new URLSearchParams({ stream: m.streamId, message: m.messageId, t: m.sentAt || '' });
  return h('li', { class: 'hit', 'data-message-id': m.messageId },
    h('div', { class: 'meta' },
      h('span', {}, fmtTime(m.sentAt)),
      lazyName(userName(m.senderUserId), m.senderUserId, 'name sender'),
      h('span', {}, 'in ', lazyName(streamInfo(m.streamId).then((s) => s.name), m.streamId, 'name room')),
      m.replacing ? h('span', { class: 'badge edit' }, 'edit') : null,
      m.replacedBy ? h('span', { class: 'badge edit' }, 'edited later') : null,
      m.suppressed ? h('span', { class: 'badge suppressed' }, 'suppressed') : null,
      m.externalRecipients ? h('span', { class: 'badge external' }, 'external') : null,
      m.attachmentCount ? h('span', { class: 'badge attach' }, m.attachmentCount + ' attachment(s)') : null),
    h('p', { class: 'text' }, highlighted(m.plainText, terms)),
    h('div', { class: 'meta' },
      h('a', { href: conv, class: 'open-conversation' }, 'Open in conversation'),
      h('a', { href: '#/message?id=' + encodeURIComponent(m.messageId), class: 'open-detail' }, 'Message detail')));
}

function pager(f, cursor, next) {
  const base = Object.fromEntries(FILTER_KEYS.filter((k) => f[k]).map((k) => [k, f[k]]));
  return h('nav', { class: 'pager', 'aria-label': 'Result pages' },
    cursor ? h('a', { href: '#/search?' + new URLSearchParams(base), id: 'first-page' }, 'First page') : null,
    cursor ? h('button', { type: 'button', class: 'secondary', onclick: () => history.back() }, 'Previous page') : null,
    next ? h('a', { href: '#/search?' + new URLSearchParams({ ...base, cursor: next }), id: 'next-page' }, 'Next page') : null);
}

function field(id, label, value, attrs = {}) {
  return h('label', { for: id, class: attrs.wide ? 'wide' : null }, label,
    h('input', { id, name: id, value, autocomplete: 'off', ...attrs, wide: null }));
}

function searchForm(f) {
  const q = field('search-q', 'Keywords', f.q, { wide: true, 'aria-describedby': 'q-hint', type: 'search' });
  const sender = field('search-sender', 'Sender (name or user id)', '', { list: 'users-list' });
  const participant = field('search-participant', 'Participant (name or user id)', '', { list: 'users-list' });
  const room = field('search-room', 'Room (name or stream id)', '', { list: 'rooms-list' });
  const from = field('search-from', 'From (UTC)', toLocalInput(f.from), { type: 'datetime-local', step: 1 });
  const to = field('search-to', 'To (UTC, exclusive)', toLocalInput(f.to), { type: 'datetime-local', step: 1 });
  const external = h('input', { type: 'checkbox', id: 'search-external', checked: !!f.external });
  const attachments = h('input', { type: 'checkbox', id: 'search-attachments', checked: !!f.attachments });
  const error = h('div', { id: 'search-error' });
  const usersList = h('datalist', { id: 'users-list' });
  const roomsList = h('datalist', { id: 'rooms-list' });
  // show names for the ids a deep link carries
  fill(sender, f.sender, userName);
  fill(participant, f.participant, userName);
  fill(room, f.room, (id) => streamInfo(id).then((s) => s.name));
  suggest(sender, usersList, suggestUsers);
  suggest(participant, usersList, suggestUsers);
  suggest(room, roomsList, suggestRooms);
  const form = h('form', { class: 'panel', role: 'search', onsubmit: async (e) => {
    e.preventDefault();
    error.replaceChildren();
    try {
      const next = {
        q: input(q).value.trim(),
        sender: await resolveUser(input(sender).value, 'Sender'),
        participant: await resolveUser(input(participant).value, 'Participant'),
        room: await resolveRoom(input(room).value),
        from: fromLocalInput(input(from).value), to: fromLocalInput(input(to).value),
        external: external.checked ? '1' : '', attachments: attachments.checked ? '1' : '',
      };
      const kept = Object.fromEntries(Object.entries(next).filter(([, v]) => v));
      const hash = '#/search?' + new URLSearchParams(kept);
      if (location.hash === hash) {
        window.dispatchEvent(new HashChangeEvent('hashchange'));
      } else {
        location.hash = hash;
      }
    } catch (err) {
      error.replaceChildren(errorBox(err));
    }
  } },
  h('div', { class: 'grid' }, q, sender, participant, room, from, to,
    h('label', { class: 'check', for: 'search-external' }, external, 'External only'),
    h('label', { class: 'check', for: 'search-attachments' }, attachments, 'With attachments')),
  h('p', { class: 'hint', id: 'q-hint' }, 'All words must match. "exact phrase", OR, AND, -exclude, $CASHTAG, #hashtag, '
    + '@userId or mention:userId. Case-insensitive, over the plain text and entities.'),
  usersList, roomsList, error,
  h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'search-submit' }, 'Search'),
    h('a', { href: '#/search', class: 'button secondary', id: 'search-clear' }, 'Clear')));
  return form;
}

const input = (label) => label.querySelector('input');

function fill(label, id, name) {
  if (id) {
    input(label).value = id;
    name(id).then((n) => { input(label).value = n === id ? id : n + ' (' + id + ')'; });
  }
}

function suggest(label, list, source) {
  let timer = null;
  input(label).addEventListener('input', () => {
    clearTimeout(timer);
    const text = input(label).value.trim();
    if (text.length < 2 || /\(.*\)$/.test(text)) {
      return;
    }
    timer = setTimeout(() => source(text).then((options) => {
      list.replaceChildren(...options.map((o) => h('option', { value: o })));
    }, () => {}), 250);
  });
}

const suggestUsers = (text) => api('/api/v1/users', { q: text, limit: 8 })
  .then((p) => p.items.map((u) => displayName(u) + ' (' + u.userId + ')'));
const suggestRooms = (text) => api('/api/v1/streams', { name: text, limit: 8 })
  .then((p) => p.items.map((s) => (s.roomName || s.streamType) + ' (' + s.streamId + ')'));

/** "Jane Doe (123)", "123" or a name prefix matching exactly one user -> the user id; '' for empty. */
async function resolveUser(text, what) {
  const t = text.trim();
  if (!t) {
    return '';
  }
  const m = t.match(/\((\d+)\)$/) || t.match(/^(\d+)$/);
  if (m) {
    return m[1];
  }
  const page = await api('/api/v1/users', { q: t, limit: 2 });
  if (page.items.length !== 1) {
    throw new Error(what + ': ' + (page.items.length ? 'several users match “' + t + '”; pick one from the list'
      : 'no user matches “' + t + '”'));
  }
  return String(page.items[0].userId);
}

async function resolveRoom(text) {
  const t = text.trim();
  if (!t) {
    return '';
  }
  const m = t.match(/\(([^()\s]+)\)$/);
  if (m) {
    return m[1];
  }
  const page = await api('/api/v1/streams', { name: t, limit: 2 });
  if (page.items.length === 1) {
    return page.items[0].streamId;
  }
  if (page.items.length === 0) {
    return t; // a stream id typed as it is
  }
  throw new Error('Room: several rooms start with “' + t + '”; pick one from the list');
}

function exportPanel(f) {
  const select = h('select', { id: 'export-format' }, EXPORT_FORMATS.map((x) => h('option', { value: x.id }, x.label)));
  const result = h('div', { id: 'export-result', 'aria-live': 'polite' });
  const carried = { stream: f.room, user: f.sender, from: f.from, to: f.to };
  const dropped = ['q', 'participant', 'external', 'attachments'].filter((k) => f[k]);
  const button = h('button', { type: 'button', id: 'export-run', class: 'secondary', onclick: async () => {
    button.disabled = true;
    result.replaceChildren(h('p', {}, 'Exporting…'));
    try {
      const format = EXPORT_FORMATS.find((x) => x.id === select.value);
      result.replaceChildren(await runExport(format, carried, session.token()));
      result.scrollIntoView({ block: 'nearest' });
    } catch (err) {
      result.replaceChildren(errorBox(err));
    } finally {
      button.disabled = false;
    }
  } }, 'Export');
  return h('section', { class: 'panel', 'aria-labelledby': 'export-heading' },
    h('h2', { id: 'export-heading' }, 'Export'),
    h('p', { class: 'hint' }, 'Exports the raw events, byte for byte as received, of this filter’s room, sender and time range'
      + (dropped.length ? ' (the export does not apply: ' + dropped.join(', ') + ')' : '') + ', with a manifest line '
      + 'whose SHA-256 covers the file.'),
    h('div', { class: 'actions' }, h('label', { for: 'export-format' }, 'Format', select), button),
    result);
}

