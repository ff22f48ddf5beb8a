// The officer web UI: a hash router (#/search?q=… links survive a reload), sign-in with an officer token, and the
// screens of the signed-in officer's role. The server enforces roles; the menu only hides what would be refused.
import { api, session, whenUnauthorized } from './api.js';
import { h, append, errorBox } from './dom.js';
import { renderSearch } from './search.js';
import { renderConversation, renderMessage } from './conversation.js';
import { renderCoverage, renderAccessLog, renderOfficers, renderBackups } from './ops.js';

const SCREENS = [
  { path: '/search', label: 'Search', role: 'officer', render: renderSearch },
  { path: '/conversation', role: 'officer', render: renderConversation },
  { path: '/message', role: 'officer', render: renderMessage },
  { path: '/coverage', label: 'Capture coverage', role: 'officer', render: renderCoverage },
  { path: '/access-log', label: 'Access log', role: 'auditor', render: renderAccessLog },
  { path: '/admin/officers', label: 'Officers', role: 'admin', render: renderOfficers },
  { path: '/admin/backups', label: 'Backups', role: 'admin', render: renderBackups },
];
const AFTER_SIGN_IN = 'datahose.after';
let notice = null;

function route() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query] = hash.split('?');
  return { path, params: new URLSearchParams(query || '') };
}

function home(officer) {
  const first = SCREENS.find((s) => s.label && s.role === officer.role);
  return first ? first.path : '/signin';
}

function renderNav(officer, current) {
  const nav = document.getElementById('nav');
  nav.replaceChildren(...(officer ? SCREENS.filter((s) => s.label && s.role === officer.role) : []).map((s) =>
    h('a', { href: '#' + s.path, 'aria-current': current.startsWith(s.path) ? 'page' : null, id: 'nav-' + s.path.slice(1).replace('/', '-') }, s.label)));
  document.getElementById('who').textContent = officer ? officer.name + ' · ' + officer.role : '';
  document.getElementById('signout').hidden = !officer;
}

function show(view) {
  const main = document.getElementById('main');
  main.replaceChildren(view);
  const heading = view.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  }
}

async function render() {
  const { path, params } = route();
  const officer = session.token() ? session.officer() : null;
  renderNav(officer, path);
  if (!officer) {
    if (path !== '/signin' && path !== '/') {
      sessionStorage.setItem(AFTER_SIGN_IN, location.hash);
    }
    show(signIn());
    return;
  }
  const screen = SCREENS.find((s) => s.path === path);
  if (!screen) {
    location.replace('#' + home(officer));
    return;
  }
  const view = h('section', { class: 'view', 'data-screen': path });
  if (screen.role !== officer.role) {
    append(view, h('h1', {}, 'Not available'),
      h('p', {}, 'This screen needs the role “' + screen.role + '”; you are signed in as ' + officer.role + '.'));
    show(view);
    return;
  }
  show(view);
  try {
    await screen.render(view, params);
    const heading = view.querySelector('h1');
    if (heading && document.activeElement === document.body) {
      heading.focus({ preventScroll: true });
    }
  } catch (err) {
    append(view, errorBox(err));
  }
}

function signIn() {
  const view = h('section', { class: 'view signin panel', 'data-screen': '/signin' });
  const input = h('input', { type: 'password', id: 'token', name: 'token', autocomplete: 'off', required: true,
    spellcheck: 'false', 'aria-describedby': 'token-hint' });
  const error = h('div', { id: 'signin-error', 'aria-live': 'assertive' });
  const button = h('button', { type: 'submit', id: 'signin' }, 'Sign in');
  const form = h('form', { onsubmit: async (e) => {
    e.preventDefault();
    const token = input.value.trim();
    error.replaceChildren();
    button.disabled = true;
    try {
      const officer = await api('/api/v1/session', {}, { token });
      session.start(token, officer);
      input.value = '';
      const after = sessionStorage.getItem(AFTER_SIGN_IN);
      sessionStorage.removeItem(AFTER_SIGN_IN);
      const wanted = after && SCREENS.find((s) => after.startsWith('#' + s.path) && s.role === officer.role);
      const target = wanted ? after : '#' + home(officer);
      if (location.hash === target) {
        render();
      } else {
        location.hash = target;
      }
    } catch (err) {
      error.replaceChildren(errorBox(err.status === 401
        ? { detail: 'Sign-in refused: that token is not valid (unknown or revoked).' } : err));
      button.disabled = false;
      input.focus();
    }
  } },
  h('label', { for: 'token' }, 'Officer token'),
  input,
  h('p', { class: 'hint', id: 'token-hint' }, 'The token an administrator issued to you. It is kept in this tab only and '
    + 'forgotten when you sign out or close the tab. Every request you make is recorded in the access log.'),
  error,
  h('div', { class: 'actions' }, button));
  append(view, h('h1', {}, 'Sign in'), notice ? h('p', { class: 'note', id: 'signin-notice' }, notice) : null, form);
  notice = null;
  setTimeout(() => input.focus(), 0);
  return view;
}

function signOut(message) {
  session.clear();
  sessionStorage.removeItem(AFTER_SIGN_IN);
  notice = message;
  if (location.hash === '#/signin') {
    render();
  } else {
    location.hash = '#/signin';
  }
}

whenUnauthorized(() => signOut('Your session ended: the token is no longer valid. Sign in again.'));
document.getElementById('signout').addEventListener('click', () => signOut('Signed out. The token was removed from this tab.'));
window.addEventListener('hashchange', render);
render();
