// The device's side of partner mode: pairing and the daily check-in against
// the server's partner API, keeping the pairing secret, the device seed and
// the day's answers in the device's own storage. The server sees only
// public pairing values and sealed blobs of one size.

import * as P from './protocol.js';

const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (h) => new Uint8Array(h.match(/../g).map((x) => parseInt(x, 16)));
const random = (n) => crypto.getRandomValues(new Uint8Array(n));

export class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// `http(method, path, body)` → parsed JSON (or null); `storage` has
// get(key) / set(key, value) of JSON-able values.
export class Partner {
  constructor({ http, storage, key }) {
    this.http = http;
    this.storage = storage;
    this.key = key;
  }

  load() {
    return this.storage.get(this.key) || { days: {} };
  }

  save(state) {
    this.storage.set(this.key, state);
  }

  forget() {
    this.storage.set(this.key, null);
  }

  status() {
    return this.http('GET', '/api/v1/partner');
  }

  // The inviter: a fresh password and share; returns the code to read out.
  async invite() {
    const password = P.passwordFrom(random(6));
    const seed = hex(random(32));
    const share = P.share(password, unhex(seed));
    const made = await this.http('POST', '/api/v1/partner/invitations', { share: hex(share.pub) });
    const state = { days: {}, pending: { code: made.code, password, seed } };
    this.save(state);
    return { code: P.formatCode(made.code, password), expiresAt: made.expires_at };
  }

  // The joiner, with the code typed in.
  async join(typed) {
    const code = P.parseCode(typed);
    if (!code) throw new HttpError(422, 'An invitation code is ten letters and digits, like K7QM4 RXT9P.');
    const inv = await this.http('GET', `/api/v1/partner/invitations/${code.id}`);
    const mine = P.share(code.password, random(32));
    const paired = P.agree(mine, code.id, unhex(inv.share), mine.pub, false);
    const pair = await this.http('POST', `/api/v1/partner/invitations/${code.id}/join`, {
      share: hex(mine.pub),
      tag: hex(P.tag(paired, false)),
    });
    this.keep(pair.id, paired, 'joiner');
    return pair;
  }

  keep(pairId, paired, role) {
    this.save({
      days: {},
      pair: { id: pairId, role, secret: hex(paired.secret), tagKey: hex(paired.tagKey), confirmation: paired.confirmation, device: hex(random(32)) },
    });
  }

  // Moves pairing on from the server's view; returns what to show:
  // 'none' | 'inviting' | 'waiting' | 'mismatch' | 'ended' | 'paired'.
  async sync(status) {
    const state = this.load();
    const pair = status.pair;
    if (!pair) {
      if (state.pair) {
        this.forget();
        return 'ended';
      }
      return status.invite && state.pending && state.pending.code === status.invite.code ? 'inviting' : 'none';
    }
    if (pair.role === 'inviter' && !state.pair) {
      const pending = state.pending;
      if (!pending || pending.code !== pair.invitation) return 'lost';
      const mine = P.share(pending.password, unhex(pending.seed));
      const paired = P.agree(mine, pair.invitation, unhex(pair.inviter_share), unhex(pair.joiner_share), true);
      try {
        P.checkTag(paired, unhex(pair.joiner_tag), false);
      } catch {
        await this.http('DELETE', '/api/v1/partner');
        this.forget();
        return 'mismatch';
      }
      await this.http('POST', '/api/v1/partner/confirm', { tag: hex(P.tag(paired, true)) });
      this.keep(pair.id, paired, 'inviter');
      return 'paired';
    }
    if (!state.pair || state.pair.id !== pair.id) return 'lost';
    if (!pair.confirmed) return 'waiting';
    if (pair.role === 'joiner' && !state.pair.checked) {
      try {
        P.checkTag({ tagKey: unhex(state.pair.tagKey) }, unhex(pair.inviter_tag), true);
      } catch {
        await this.http('DELETE', '/api/v1/partner');
        this.forget();
        return 'mismatch';
      }
      state.pair.checked = true;
      this.save(state);
    }
    return 'paired';
  }

  async unpair() {
    try {
      await this.http('DELETE', '/api/v1/partner');
    } catch (e) {
      if (e.status !== 404) throw e;
    }
    this.forget();
  }

  dayOf(date) {
    const state = this.load();
    const day = { pair: state.pair.id, date };
    return { state, day, channel: P.channel(unhex(state.pair.secret), day), secret: P.daySecret(unhex(state.pair.device), day) };
  }

  async messages(ctx) {
    const got = await this.http('GET', `/api/v1/partner/mailboxes/${ctx.channel.mailbox}`);
    return got.messages.map((m) => ({ ...m, ...P.open(ctx.channel, m.seq, unhex(m.blob)) }));
  }

  async post(ctx, seq, kind, body) {
    const blob = P.seal(ctx.channel, seq, kind, body, random(12));
    await this.http('PUT', `/api/v1/partner/mailboxes/${ctx.channel.mailbox}/${seq}`, { blob: hex(blob) });
  }

  // Today's answers, once: [0..2] per item (not today, maybe, yes).
  async answer(date, answers) {
    const ctx = this.dayOf(date);
    const days = ctx.state.days;
    if (days[date]) throw new HttpError(409, 'You have answered today already; you can only lower an answer.');
    for (let attempt = 0; attempt < 3; attempt++) {
      const msgs = await this.messages(ctx);
      let record;
      if (msgs.length === 0) {
        const first = P.first(ctx.day, ctx.secret, answers, random(32));
        record = { answers, role: 'first', first: hex(first) };
        try {
          await this.post(ctx, 0, P.KIND.first, first);
        } catch (e) {
          if (e.status === 409) continue;
          throw e;
        }
      } else if (!msgs[0].mine && msgs.length === 1) {
        const second = P.second(ctx.day, ctx.secret, answers, msgs[0].body, random(32));
        record = { answers, role: 'second', first: hex(msgs[0].body), second: hex(second) };
        try {
          await this.post(ctx, 1, P.KIND.second, second);
        } catch (e) {
          if (e.status === 409) continue;
          throw e;
        }
      } else {
        throw new HttpError(409, 'Today’s check-in is already done on this pairing.');
      }
      const fresh = this.load();
      // Rounds are named after their day ("2026-12-02", "2026-12-02 sensate-focus 3").
      const keep = dayBefore(date.slice(0, 10));
      fresh.days = Object.fromEntries(Object.entries(fresh.days).filter(([d]) => d.slice(0, 10) >= keep));
      fresh.days[date] = record;
      this.save(fresh);
      return this.progress(date);
    }
    throw new HttpError(409, 'The check-in could not be posted just now; try again.');
  }

  // Lowers today's answers (never raises them), telling the partner only
  // about what was in the overlap.
  async lower(date, answers) {
    const state = this.load();
    const rec = state.days[date];
    if (!rec) throw new HttpError(409, 'Nothing to change yet today.');
    rec.answers = rec.answers.map((a, i) => Math.min(a, answers[i]));
    this.save(state);
    return this.progress(date);
  }

  // Runs the day's exchange as far as it can go; returns
  // { answered, answers, overlap } where overlap is null until known.
  async progress(date) {
    const ctx = this.dayOf(date);
    const rec = ctx.state.days[date];
    if (!rec) return { answered: false, answers: null, overlap: null };
    const msgs = await this.messages(ctx);
    let overlap = null;
    if (rec.role === 'first' && msgs.length >= 2) {
      const { message, overlap: o } = P.third(ctx.day, ctx.secret, unhex(rec.first), msgs[1].body, random(32));
      if (msgs.length === 2) await this.post(ctx, 2, P.KIND.third, message);
      overlap = o;
    } else if (rec.role === 'second' && msgs.length >= 3) {
      overlap = P.finish(ctx.day, ctx.secret, unhex(rec.first), unhex(rec.second), msgs[2].body);
    }
    if (overlap === null) return { answered: true, answers: rec.answers, overlap: null };
    let withdrawn = 0;
    for (const m of msgs.slice(3)) if (m.kind === P.KIND.withdraw && m.body.length === 2) withdrawn |= (m.body[0] << 8) | m.body[1];
    const lowered = P.loweredBy(overlap, rec.answers) & ~withdrawn;
    if (lowered) {
      const seq = Math.max(msgs.length, 3);
      await this.post(ctx, seq, P.KIND.withdraw, new Uint8Array([lowered >> 8, lowered & 255]));
      withdrawn |= lowered;
    }
    return { answered: true, answers: rec.answers, overlap: overlap & ~withdrawn };
  }
}

function dayBefore(date) {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

// For the page: fetch against this origin with the session cookie.
export function browserHttp() {
  return async (method, path, body) => {
    const res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    if (res.status === 204) return null;
    const data = await res.json().catch(() => null);
    if (!res.ok) throw new HttpError(res.status, (data && data.error) || `The server answered ${res.status}.`);
    return data;
  };
}

export const localStore = {
  get: (k) => JSON.parse(localStorage.getItem(k) || 'null'),
  set: (k, v) => (v === null ? localStorage.removeItem(k) : localStorage.setItem(k, JSON.stringify(v))),
};
