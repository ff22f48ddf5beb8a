// The conversation (transcript) of one stream: messages and system lines in archive order, edits as versions,
// suppressed messages marked, capture gaps drawn where they fall, members at a chosen time; and one message's detail.
import { api, userName, streamInfo } from './api.js';
import { h, append, lazyName, fmtTime, fromLocalInput, toLocalInput, table, errorBox } from './dom.js';

const LIMIT = 200;
const CONTEXT_MS = 60 * 60 * 1000; // a hit opens with the hour before it

export async function renderConversation(view, params) {
  const streamId = params.get('stream');
  const target = params.get('message');
  const t = params.get('t');
  const from = params.get('from') || (t ? new Date(new Date(t).getTime() - CONTEXT_MS).toISOString() : '');
  const cursor = params.get('cursor') || '';
  const title = h('h1', {}, 'Conversation');
  const info = h('p', { class: 'meta', id: 'conversation-info' }, h('span', { class: 'mono' }, streamId));
  streamInfo(streamId).then((s) => {
    title.textContent = s.name;
    info.prepend(h('span', {}, s.type || ''), s.external ? h('span', { class: 'badge external' }, 'external') : '');
  });
  const transcript = h('ol', { class: 'transcript', id: 'transcript', 'aria-label': 'Transcript' });
  const more = h('nav', { class: 'pager', 'aria-label': 'Transcript pages' });
  const side = h('aside', { class: 'panel', 'aria-labelledby': 'members-heading' }, membersPanel(streamId, t));
  append(view, title, info,
    h('p', { class: 'meta' }, from ? h('span', {}, 'From ' + fmtTime(from) + ' · ') : null,
      h('a', { href: '#/conversation?' + new URLSearchParams({ stream: streamId }) }, 'From the start')),
    h('div', { class: 'cols' }, h('div', {}, transcript, more), side));
  const page = await api('/api/v1/streams/' + encodeURIComponent(streamId) + '/transcript',
    { from, cursor, limit: LIMIT });
  const lines = withGaps(page.items, page.captureGaps || []);
  transcript.append(...lines.map((l) => l.gap ? gapLine(l.gap) : line(l, target)));
  if (!page.items.length) {
    transcript.append(h('li', { class: 'line system' }, 'No events in this range.'));
  }
  if (page.nextCursor) {
    more.append(h('a', { id: 'transcript-next', href: '#/conversation?' + new URLSearchParams({ stream: streamId, from,
      cursor: page.nextCursor }) }, 'Later events'));
  }
  const focus = target && transcript.querySelector('[data-message-id="' + CSS.escape(target) + '"]');
  if (focus) {
    focus.classList.add('target');
    focus.setAttribute('tabindex', '-1');
    focus.scrollIntoView({ block: 'center' });
    focus.focus({ preventScroll: true });
  }
}

/** Merges capture gaps into the lines by time: a gap is drawn before the first line after its start. */
function withGaps(items, gaps) {
  const out = [];
  const pending = [...gaps].sort((a, b) => a.from.localeCompare(b.from));
  for (const item of items) {
    while (pending.length && new Date(pending[0].from) <= new Date(item.at)) {
      out.push({ gap: pending.shift() });
    }
    out.push(item);
  }
  return out.concat(pending.map((g) => ({ gap: g })));
}

function gapLine(g) {
  return h('li', { class: 'line gap', 'data-kind': 'gap' }, 'Capture gap ' + fmtTime(g.from) + ' – '
    + (g.open ? 'still open' : fmtTime(g.to)) + ': the archive may be missing events here'
    + (g.cause ? ' (' + g.cause + ')' : '') + '.');
}

const SYSTEM_WORDS = {
  created: 'created the room', joined: 'joined', left: 'left', promoted: 'promoted to owner', demoted: 'demoted from owner',
  deactivated: 'deactivated the room', reactivated: 'reactivated the room', suppressed: 'suppressed a message',
  requested: 'requested to join', updated: 'updated the room', form: 'form activity',
};

function line(l, target) {
  if (l.messageId) {
    const cls = ['line', 'message', l.suppressed ? 'suppressed' : '', l.edited ? 'superseded' : '',
      l.messageId === target ? 'target' : ''].join(' ');
    return h('li', { class: cls, 'data-message-id': l.messageId, 'data-kind': 'message' },
      h('div', { class: 'meta' }, h('span', {}, fmtTime(l.at)), lazyName(userName(l.sender), l.sender),
        l.replacing ? h('span', { class: 'badge edit', title: 'edit of ' + l.replacing }, 'edit (new version)') : null,
        l.edited ? h('span', { class: 'badge edit' }, 'superseded by an edit') : null,
        l.suppressed ? h('span', { class: 'badge suppressed' }, 'suppressed') : null,
        l.attachments ? h('span', { class: 'badge attach' }, l.attachments + ' attachment(s)') : null,
        h('a', { href: '#/message?id=' + encodeURIComponent(l.messageId) }, 'detail')),
      h('p', { class: 'text' }, l.text || ''));
  }
  const name = (u) => lazyName(userName(u), u);
  const who = l.by != null ? name(l.by) : '';
  const others = (l.users || []).filter((u) => u !== l.by).map((u, i) => [i ? ', ' : '', name(u)]);
  let words;
  if (l.kind === 'renamed') {
    words = [who, ' renamed the room to “' + (l.name || '') + '”', l.previousName ? ' (was “' + l.previousName + '”)' : ''];
  } else if (l.kind === 'promoted' || l.kind === 'demoted') {
    words = [who, ' ' + l.kind + ' ', others.length ? others : 'a member', l.kind === 'promoted' ? ' to owner' : ' from owner'];
  } else if ((l.kind === 'joined' || l.kind === 'left' || l.kind === 'requested') && others.length) {
    words = [others, ' ' + SYSTEM_WORDS[l.kind] + ' (by ', who, ')'];
  } else {
    words = [who, ' ', SYSTEM_WORDS[l.kind] || l.type, l.name && l.kind === 'created' ? ' “' + l.name + '”' : ''];
  }
  return h('li', { class: 'line system', 'data-kind': l.kind },
    h('span', { class: 'meta' }, fmtTime(l.at)), ' ', words);
}

function membersPanel(streamId, t) {
  const at = h('input', { type: 'datetime-local', id: 'members-at', step: 1, value: toLocalInput(t) || toLocalInput(new Date().toISOString()) });
  const out = h('div', { id: 'members-result', 'aria-live': 'polite' });
  const show = async () => {
    out.replaceChildren(h('p', { class: 'hint' }, 'Loading…'));
    try {
      const when = fromLocalInput(at.value);
      const s = await api('/api/v1/streams/' + encodeURIComponent(streamId), { at: when });
      out.replaceChildren(
        h('p', { class: 'hint' }, (s.members.length) + ' member(s) at ' + fmtTime(s.at || when)
          + (s.propertiesAt && s.propertiesAt.name ? ', room named “' + s.propertiesAt.name + '”' : '')
          + (s.deactivatedAt ? ', room deactivated' : '')),
        h('ul', { class: 'members', id: 'members-list' }, s.members.map((m) => h('li', { 'data-user-id': m.userId },
          lazyName(userName(m.userId), m.userId), m.owner ? ' (owner)' : '', m.since ? h('span', { class: 'hint' }, ' since ' + fmtTime(m.since)) : null))));
    } catch (err) {
      out.replaceChildren(errorBox(err));
    }
  };
  const form = h('form', { onsubmit: (e) => { e.preventDefault(); show(); } },
    h('label', { for: 'members-at' }, 'Members at (UTC)', at),
    h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'members-show' }, 'Show members')));
  return [h('h2', { id: 'members-heading' }, 'Members at a time'), form, out];
}

export async function renderMessage(view, params) {
  const id = params.get('id');
  append(view, h('h1', {}, 'Message detail'));
  const m = await api('/api/v1/messages/' + encodeURIComponent(id));
  const conv = m.streamId ? '#/conversation?' + new URLSearchParams({ stream: m.streamId, message: m.messageId,
    t: m.sentAt || '' }) : null;
  append(view, 
    h('p', { class: 'meta' }, h('span', { class: 'mono' }, m.messageId), h('span', {}, fmtTime(m.sentAt)),
      h('span', { class: 'name' }, m.sender ? userNameOf(m.sender) : String(m.senderUserId)),
      m.stream ? h('span', {}, 'in ', m.stream.roomName || m.stream.streamType || m.streamId) : null,
      m.suppressed ? h('span', { class: 'badge suppressed' }, 'suppressed') : null,
      conv ? h('a', { href: conv, id: 'detail-conversation' }, 'Open in conversation') : null),
    h('p', { class: 'text panel' }, m.plainText || ''),
    h('h2', {}, 'Versions'),
    table(m.versions || [], [['version', '#'], ['messageId', 'Message id'], ['sentAt', 'Sent'], ['text', 'Text'],
      ['suppressed', 'Suppressed', (v) => v.suppressed ? 'yes' : ''], ['current', 'Current', (v) => v.current ? 'current' : '']]),
    h('h2', {}, 'Attachments'),
    (m.attachments || []).length ? table(m.attachments, Object.keys(m.attachments[0])
      .filter((k) => k !== 'messageId').map((k) => [k, k])) : h('p', { class: 'hint' }, 'None.'),
    (m.suppressions || []).length ? [h('h2', {}, 'Suppressions'),
      table(m.suppressions, Object.keys(m.suppressions[0]).map((k) => [k, k]))] : null,
    h('h2', {}, 'Raw events'),
    h('p', { class: 'hint' }, 'The events this message came from. rawSha256 is the SHA-256 of the bytes exactly as '
      + 'received; they are shown here parsed and indented, and travel verbatim in an export.'),
    (m.rawEvents || []).map((e) => h('section', { class: 'raw-event' },
      h('p', { class: 'meta' }, h('span', {}, 'seq ' + e.seq), h('span', {}, e.type),
        h('span', { class: 'mono' }, 'rawSha256 ', h('span', { class: 'raw-sha' }, e.rawSha256 || ''))),
      h('pre', { tabindex: 0 }, e.event != null ? JSON.stringify(e.event, null, 2) : (e.eventText || '')))));
}

function userNameOf(u) {
  return u.displayName || [u.firstName, u.lastName].filter(Boolean).join(' ') || u.username || String(u.userId);
}

