// The console's shell: hash routes (#/verify, #/speakers/{id}, ...), sign-in gate, focus and titles on navigation.
import { describe } from './api.js';
import { alertBox, h, show } from './dom.js';
import { apiKey, signOut } from './session.js';
import * as signin from './views/signin.js';
import * as verify from './views/verify.js';
import * as speakers from './views/speakers.js';
import * as speaker from './views/speaker.js';
import * as claims from './views/claims.js';
import * as claim from './views/claim.js';
import * as audit from './views/audit.js';

const routes = [
  [/^\/verify$/, verify],
  [/^\/speakers$/, speakers],
  [/^\/speakers\/([^/]+)$/, speaker],
  [/^\/claims$/, claims],
  [/^\/claims\/([^/]+)$/, claim],
  [/^\/audit$/, audit],
];

const main = document.getElementById('main');
const nav = document.getElementById('main-nav');
const signOutButton = document.getElementById('sign-out');
let currentView = null;
let firstRender = true;

function currentRoute() {
  const raw = location.hash.replace(/^#/, '') || '/verify';
  const at = raw.indexOf('?');
  return { path: at < 0 ? raw : raw.slice(0, at), query: new URLSearchParams(at < 0 ? '' : raw.slice(at + 1)), raw };
}

/** Shown wherever a call fails; a refused key ends the session, since every later call would fail the same way. */
function fail(container, error, action) {
  if (error?.name === 'AbortError') return;
  if (error?.kind === 'unauthenticated') {
    signOut();
    render({ message: describe(error, action) });
    return;
  }
  show(container, alertBox(describe(error, action)));
}

function render({ message } = {}) {
  currentView?.abort();
  const view = new AbortController();
  currentView = view;
  const { path, query, raw } = currentRoute();
  const signedIn = Boolean(apiKey());
  nav.hidden = !signedIn;
  signOutButton.hidden = !signedIn;
  const context = { query, signal: view.signal, fail };

  if (!signedIn || path === '/signin') {
    signin.render(main, { ...context, next: path === '/signin' ? '/verify' : raw, message, onSignedIn: navigateTo });
  } else {
    const route = routes.find(([pattern]) => pattern.test(path));
    for (const link of nav.querySelectorAll('a')) {
      const current = path === link.getAttribute('href').slice(1) || path.startsWith(link.getAttribute('href').slice(1) + '/');
      if (current) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    if (route) {
      const [, ...params] = route[0].exec(path);
      // Each view puts its heading in place before its first await, so focus and title can follow at once.
      route[1].render(main, { ...context, params: params.map(decodeURIComponent) }).catch(error => fail(main, error, 'show this page'));
    } else {
      show(main, h('h1', { tabindex: '-1' }, 'Page not found'), h('p', {}, 'There is no such page in the console. ', h('a', { href: '#/verify' }, 'Go to Verify.')));
    }
  }
  const heading = main.querySelector('h1');
  document.title = `${heading?.textContent ?? 'FactCheck'} · FactCheck console`;
  // Keyboard and screen-reader users land on the new page's heading, not on the link they left.
  if (!firstRender || message) heading?.focus();
  firstRender = false;
}

function navigateTo(route) {
  if (location.hash === `#${route}`) render();
  else location.hash = route;
}

signOutButton.addEventListener('click', () => {
  signOut();
  navigateTo('/signin');
});
document.getElementById('skip-link').addEventListener('click', event => {
  event.preventDefault();
  (main.querySelector('h1') ?? main).focus();
});
window.addEventListener('hashchange', () => render());
render();
