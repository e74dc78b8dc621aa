// The Partner page: shows one state at a time and runs the client.

import { Partner, browserHttp, localStore } from './client.js';
import { ITEMS, both } from './protocol.js';
import { $, say } from './dom.js';

// An item's words are the server's (its fieldset's legend), so they are
// written in one place.
function words(root, item) {
  return root.querySelector(`input[name="item-${item}"]`).closest('fieldset').querySelector('legend').textContent.trim();
}

function show(root, name) {
  for (const s of root.querySelectorAll('[data-state]')) s.hidden = s.dataset.state !== name;
}

function list(items) {
  // In the middle of a sentence: "You both said yes to cuddling or hugging."
  const lower = items.map((w) => w.charAt(0).toLowerCase() + w.slice(1));
  return lower.length < 2 ? lower.join('') : `${lower.slice(0, -1).join(', ')} and ${lower[lower.length - 1]}`;
}

export function mount(root) {
  const client = new Partner({ http: browserHttp(), storage: localStore, key: root.dataset.key });
  const problem = $('p-problem');
  let timer = null;
  let today = null;

  const poll = (ms, fn) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (document.visibilityState === 'visible') fn().catch(fail);
      else poll(ms, fn);
    }, ms);
  };
  const fail = (e) => say(problem, e.message || String(e));

  async function refresh() {
    say(problem, '');
    const status = await client.status();
    today = status.today;
    const where = await client.sync(status);
    if (where === 'paired') return paired();
    if (where === 'inviting') {
      show(root, 'inviting');
      return poll(3000, refresh);
    }
    if (where === 'waiting') {
      $('p-waiting-code').textContent = client.load().pair.confirmation;
      show(root, 'waiting');
      return poll(3000, refresh);
    }
    show(root, 'start');
    const notes = {
      ended: 'The pairing has ended. Nothing more is shared, in either direction, and the server has deleted what it kept for the two of you.',
      mismatch: 'The code did not match, so nothing was paired. Ask your partner for a new invitation and type it again.',
      lost: 'This device no longer has the pairing’s key (it was paired on another device, or its storage was cleared). Unpair, then pair again here.',
    };
    say($('p-note'), notes[where] || '');
    $('p-unpair-lost').hidden = where !== 'lost';
  }

  function drawAnswers(answers) {
    for (let i = 0; i < ITEMS.length; i++) {
      for (const input of root.querySelectorAll(`input[name="item-${ITEMS[i]}"]`)) {
        const v = Number(input.value);
        if (answers) {
          input.checked = v === answers[i];
          // An answer can be lowered or taken back, never raised.
          input.disabled = v > answers[i];
        } else {
          input.disabled = false;
        }
      }
    }
    $('p-submit').textContent = answers ? 'Save the lower answers' : 'Send my answers';
  }

  function drawResult(r) {
    const yes = [];
    const open = [];
    if (r.overlap !== null) {
      ITEMS.forEach((item, i) => {
        const b = both(r.overlap, i);
        if (b === 'yes') yes.push(words(root, item));
        if (b === 'open') open.push(words(root, item));
      });
    }
    say($('p-both-yes'), yes.length ? `You both said yes to ${list(yes)}.` : '');
    say($('p-both-open'), open.length ? `You are both open to ${list(open)}.` : '');
    $('p-nothing').hidden = yes.length + open.length > 0;
    $('p-result').hidden = !r.answered;
  }

  async function paired() {
    const state = client.load();
    $('p-confirm-code').textContent = state.pair.confirmation;
    show(root, 'paired');
    const r = await client.progress(today);
    drawAnswers(r.answers);
    drawResult(r);
    if (r.answered && r.overlap === null) poll(15000, paired);
  }

  function chosen() {
    return ITEMS.map((item) => {
      const c = root.querySelector(`input[name="item-${item}"]:checked`);
      return c ? Number(c.value) : 0;
    });
  }

  const act = (fn) => async (ev) => {
    ev.preventDefault();
    const button = ev.submitter || ev.currentTarget;
    button.disabled = true;
    try {
      say(problem, '');
      await fn();
    } catch (e) {
      fail(e);
    } finally {
      button.disabled = false;
    }
  };

  $('p-invite').addEventListener('click', act(async () => {
    const made = await client.invite();
    $('p-code').textContent = made.code;
    show(root, 'inviting');
    poll(3000, refresh);
  }));
  $('p-join').addEventListener('submit', act(async () => {
    await client.join($('p-typed').value);
    await refresh();
  }));
  $('p-checkin').addEventListener('submit', act(async () => {
    const answers = chosen();
    const rec = client.load().days[today];
    const r = rec ? await client.lower(today, answers) : await client.answer(today, answers);
    drawAnswers(r.answers);
    drawResult(r);
    if (r.overlap === null) poll(15000, paired);
  }));
  for (const id of ['p-unpair', 'p-unpair-lost', 'p-cancel']) {
    $(id).addEventListener('click', act(async () => {
      if (id === 'p-unpair' && !window.confirm('End the pairing? Sharing stops at once for both of you.')) return;
      await client.unpair();
      clearTimeout(timer);
      await refresh();
      if (id === 'p-unpair') say($('p-note'), 'You ended the pairing. Nothing more is shared, and the server has deleted what it kept for the two of you.');
    }));
  }
  refresh().catch(fail);
}
