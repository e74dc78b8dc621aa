// Sensate focus: saying privately "I feel ready for the next stage". It is
// a check-in of its own for the day (item 0 at yes), so a one-sided
// "ready" never shows, and both move on only when both said it.

import { Partner, browserHttp, localStore } from './client.js';
import { both } from './protocol.js';
import { $, say } from './dom.js';

const LAST = 5;

// The round for moving on to `stage`, on the pair's day.
export const readyRound = (today, stage) => `${today} sensate-focus ${stage}`;
export const READY = [2, 0, 0, 0, 0, 0];

export function mountSensate(root) {
  const client = new Partner({ http: browserHttp(), storage: localStore, key: root.dataset.key });
  const said = $('s-said');
  const button = $('s-ready');
  let timer = null;
  let round = null;

  async function refresh() {
    clearTimeout(timer);
    const status = await client.status();
    const where = await client.sync(status);
    $('s-unpaired').hidden = where === 'paired';
    $('s-paired').hidden = where !== 'paired';
    if (where !== 'paired') return;
    const state = client.load();
    const stage = (state.sensate && state.sensate.stage) || 1;
    $('s-stage').textContent = String(stage);
    const select = $('stage');
    if (select && !select.dataset.touched) select.value = String(stage);
    if (stage >= LAST) {
      button.hidden = true;
      say(said, 'This is the last stage: from here you choose together.');
      return;
    }
    round = readyRound(status.today, stage + 1);
    const r = await client.progress(round);
    if (r.answered && r.overlap !== null && both(r.overlap, 0) === 'yes') {
      const fresh = client.load();
      fresh.sensate = { stage: stage + 1 };
      client.save(fresh);
      say(said, `You are both ready: stage ${stage + 1} is open to you.`);
      return refresh();
    }
    button.disabled = r.answered;
    if (r.answered) {
      say(said, `You said you feel ready for stage ${stage + 1}. If your partner says so today too, you both move on.`);
      timer = setTimeout(() => refresh().catch(fail), 15000);
    }
  }

  const fail = (e) => say($('s-problem'), e.message || String(e));
  $('stage')?.addEventListener('change', (e) => (e.target.dataset.touched = '1'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await client.answer(round, READY);
      await refresh();
    } catch (e) {
      fail(e);
      button.disabled = false;
    }
  });
  refresh().catch(fail);
}
