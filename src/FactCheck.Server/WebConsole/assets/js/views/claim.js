// A claim: its words and attribution, where it appeared, its reviews (and a form to add one), its relations and its
// revisions. The claim, its reviews and both panels are requested together.
import { get, post, v1 } from '../api.js';
import { announce, details, field, h, loading, select, show } from '../dom.js';
import { day, percent, speakerLink, time } from '../format.js';
import { badge, choices } from '../labels.js';
import { optionalPanel } from '../panels/optional.js';
import * as relations from '../panels/relations.js';
import * as revisions from '../panels/revisions.js';

export async function render(main, { params: [id], signal, fail }) {
  const name = `claims/${id}`;
  const heading = h('h1', { tabindex: '-1' }, 'Claim');
  const summary = h('section', { 'aria-label': 'The claim' }, loading('the claim'));
  const appearances = h('section', { 'aria-labelledby': 'appearances-heading' });
  const reviews = h('section', { 'aria-labelledby': 'reviews-heading' });
  const context = { signal, fail };
  show(main, heading, summary, appearances, reviews,
    optionalPanel(relations, context, name),
    optionalPanel(revisions, context, name));

  const [claim, reviewPage] = await Promise.all([
    get(v1(name), { signal }).catch(error => { fail(summary, error, 'show this claim'); return null; }),
    get(`${v1(name)}/reviews`, { signal }).catch(error => { fail(reviews, error, 'list the reviews'); return null; }),
  ]);
  if (claim) {
    show(summary, ...describeClaim(claim));
    show(appearances, ...describeAppearances(claim.appearances ?? []));
  }
  if (reviewPage) renderReviews(reviews, name, reviewPage.reviews ?? [], summary, context);
}

function describeClaim(claim) {
  return [
    h('blockquote', { class: 'claim-text' }, claim.text),
    h('div', { class: 'card' }, details([
      ['Attributed to', claim.speaker ? speakerLink(claim.speaker, claim.attributedTo || undefined) : claim.attributedTo],
      ['As reported', claim.speaker && claim.attributedTo ? claim.attributedTo : null],
      ['Attribution', badge('attributionKind', claim.attributionKind)],
      ['Status', h('span', { id: 'claim-status' }, badge('verificationStatus', claim.verificationStatus))],
      ['Said on', day(claim.saidOn)],
      ['Language', claim.languageCode],
      ['Attribution confidence', claim.attributionConfidence === undefined ? null : percent(claim.attributionConfidence)],
      ['Context', claim.context],
      ['Record', [claim.name, ', created ', time(claim.createTime), ', updated ', time(claim.updateTime)]],
      ['History', h('a', { href: `#/audit?${new URLSearchParams({ resource: claim.name })}` }, 'Its events in the audit log (auditor role)')],
    ])),
  ];
}

function describeAppearances(appearances) {
  return [
    h('h2', { id: 'appearances-heading' }, `Appearances (${appearances.length})`),
    h('ol', { class: 'cards' }, appearances.map(appearance => h('li', { class: 'card' },
      h('p', {}, h('strong', {}, appearance.publication), appearance.firstAppearance ? [' ', h('span', { class: 'badge tone-good' }, 'First appearance')] : null),
      details([
        ['Article', appearance.url ? h('a', { href: appearance.url, rel: 'noopener noreferrer', target: '_blank' }, appearance.title || appearance.url) : appearance.title],
        ['Published', time(appearance.publishTime)],
        ['Credited', (appearance.creditedOutlets ?? []).join(', ')],
        ['As printed', appearance.quotedSentence ? h('q', {}, appearance.quotedSentence) : null],
      ])))),
  ];
}

function reviewItem(review) {
  return h('li', { class: 'card review' },
    h('p', {}, badge('reviewVerdict', review.verdict), ' by ', h('strong', { class: 'reviewer' }, review.reviewer), ', ', time(review.createTime)),
    h('p', {}, review.explanation),
    details([
      ['Evidence', (review.evidenceUrls ?? []).length ? h('ul', { class: 'plain' }, review.evidenceUrls.map(url => h('li', {}, h('a', { href: url, rel: 'noopener noreferrer', target: '_blank' }, url)))) : null],
      ['Supersedes', review.supersedes ? h('code', {}, review.supersedes.split('/').pop()) : null],
    ]));
}

function renderReviews(container, claimName, reviews, summary, { signal, fail }) {
  const list = h('ol', { class: 'cards', id: 'review-list' }, reviews.map(reviewItem));
  const empty = h('p', { hidden: reviews.length > 0 }, 'No reviews yet.');
  const verdict = select(choices('reviewVerdict'), 'ACCURATE');
  const explanation = h('textarea', { rows: 3, required: true });
  const evidence = h('textarea', { rows: 2 });
  const reason = h('input', { type: 'text' });
  const problems = h('div', {});
  const submit = h('button', { type: 'submit' }, 'Record the review');
  const form = h('form', { class: 'card', id: 'review-form', 'aria-describedby': 'review-about' },
    h('h3', {}, 'Review this claim'),
    h('p', { id: 'review-about', class: 'hint' }, 'Recording a review needs a key with the reviewer role; it sets the claim\'s status and is recorded in the audit log under your key\'s principal.'),
    field('review-verdict', 'Verdict', verdict),
    field('review-explanation', 'Explanation', explanation),
    field('review-evidence', 'Evidence URLs (one per line)', evidence),
    field('review-reason', 'Reason for the audit log (optional)', reason),
    problems,
    submit);
  show(container, h('h2', { id: 'reviews-heading' }, `Reviews (${reviews.length})`), empty, list, form);

  form.addEventListener('submit', async event => {
    event.preventDefault();
    submit.disabled = true;
    show(problems);
    try {
      const review = await post(`${v1(claimName)}/reviews`, {
        verdict: verdict.value,
        explanation: explanation.value,
        evidenceUrls: evidence.value.split('\n').map(url => url.trim()).filter(Boolean),
      }, { query: { reason: reason.value.trim() }, signal });
      list.prepend(reviewItem(review));
      empty.hidden = true;
      container.querySelector('h2').textContent = `Reviews (${list.children.length})`;
      // The status the review set, as the server derived it.
      get(v1(claimName), { signal }).then(claim => {
        const status = summary.querySelector('#claim-status');
        if (status) show(status, badge('verificationStatus', claim.verificationStatus));
      }, () => {});
      form.reset();
      announce('Review recorded.');
      list.firstElementChild.setAttribute('tabindex', '-1');
      list.firstElementChild.focus();
    } catch (error) {
      fail(problems, error, 'review claims');
      problems.querySelector('[role=alert]')?.setAttribute('tabindex', '-1');
      problems.querySelector('[role=alert]')?.focus();
    } finally {
      submit.disabled = false;
    }
  });
}
