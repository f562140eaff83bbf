import { ApiError, describe, get } from '../api.js';
import { alertBox, field, h, show } from '../dom.js';
import { signIn } from '../session.js';

export function render(main, { next, message, onSignedIn }) {
  const key = h('input', { type: 'password', autocomplete: 'off', spellcheck: 'false', required: true });
  const problems = h('div', { id: 'signin-problems' });
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', { class: 'card narrow', 'aria-describedby': 'signin-about' },
    field('api-key', 'API key', key, 'Starts with fck_. Ask an administrator for one; the server prints the first admin key when it first starts.'),
    submit);
  show(main,
    h('h1', { tabindex: '-1' }, 'Sign in'),
    h('p', { id: 'signin-about' }, 'The key stays in this browser tab (session storage): it is sent only to this server, in a request header, and forgotten when the tab closes.'),
    problems,
    form);
  if (message) show(problems, alertBox(message));

  form.addEventListener('submit', async event => {
    event.preventDefault();
    const secret = key.value.trim();
    if (!secret) {
      show(problems, alertBox({ title: 'Enter an API key', detail: 'The key field is empty.' }));
      key.focus();
      return;
    }
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      // Any read checks the key: every role may read.
      await get('/v1/speakers', { query: { pageSize: 1 }, key: secret });
      signIn(secret);
      onSignedIn(next && next !== '/signin' ? next : '/verify');
    } catch (error) {
      show(problems, alertBox(error instanceof ApiError ? describe(error, 'sign in') : { title: 'Could not sign in', detail: String(error) }));
      key.focus();
      key.select();
    } finally {
      submit.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });
}
