// Partner mode's protocols for the browser: the same construction, byte for
// byte, as the Rust crate hearth-partner (crates/hearth-partner), checked
// against the vectors it writes (crates/hearth-partner/vectors.json).
// Pure: no storage, no network; callers pass fresh random seeds.

import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { expand_message_xmd } from '@noble/curves/abstract/hash-to-curve.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';

const Point = ristretto255.Point;
const Fn = Point.Fn;
const L = Fn.ORDER;
const enc = new TextEncoder();
const utf8 = (s) => (typeof s === 'string' ? enc.encode(s) : s);

export const DST = {
  slot: 'hearth-partner-v1 slot',
  absent: 'hearth-partner-v1 absent',
  challenge: 'hearth-partner-v1 challenge',
  nonce: 'hearth-partner-v1 nonce',
  daySecret: 'hearth-partner-v1 day secret',
  pake: 'hearth-partner-v1 pake',
  isk: 'hearth-partner-v1 isk',
  salt: 'hearth-partner-v1',
};

export const ITEMS = ['talk', 'company', 'cuddle', 'massage', 'sensual', 'sex'];
const LEVELS = ['open', 'yes'];
export const SLOTS = ITEMS.length * LEVELS.length;
const DLEQ_LEN = 64;
const OR_LEN = 128;
export const FIRST_LEN = 32 + SLOTS * (32 + OR_LEN);
export const REBLIND_LEN = SLOTS * (32 + DLEQ_LEN);
export const SECOND_LEN = REBLIND_LEN + FIRST_LEN;
export const THIRD_LEN = REBLIND_LEN;
export const PLAIN_LEN = SECOND_LEN + 3;
export const BLOB_LEN = 12 + PLAIN_LEN + 16;
export const ANSWERS = { notToday: 0, maybe: 1, yes: 2 };
export const KIND = { first: 1, second: 2, third: 3, withdraw: 4, unpair: 5 };

export class ProtocolError extends Error {}

export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// Length-prefixed fields (two bytes, big-endian), as group::lv.
export function lv(...parts) {
  return concat(
    ...parts.flatMap((p) => {
      const b = utf8(p);
      return [new Uint8Array([b.length >> 8, b.length & 255]), b];
    }),
  );
}

export const expandXmd = (msg, dst) => expand_message_xmd(msg, utf8(dst), 64, sha512);
export const hashToGroup = (dst, msg) => ristretto255_hasher.hashToCurve(msg, { DST: utf8(dst) });
export const hashToScalar = (dst, msg) => ristretto255_hasher.hashToScalar(msg, { DST: utf8(dst) });
const nonce = (seed, label, context) => hashToScalar(DST.nonce, lv(seed, label, context));
const scalarBytes = (n) => Fn.toBytes(n);
const pointBytes = (p) => p.toBytes();
const mul = (p, n) => (n === 0n ? Point.ZERO : p.multiply(n));
const mulBase = (n) => mul(Point.BASE, n);

function readScalar(bytes) {
  let n = 0n;
  for (let i = 31; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  if (n >= L) throw new ProtocolError('a scalar is not reduced');
  return n;
}

function readPoint(bytes) {
  let p;
  try {
    p = Point.fromBytes(bytes);
  } catch {
    throw new ProtocolError('a point is not a valid group element');
  }
  if (p.is0()) throw new ProtocolError('a point is the identity');
  return p;
}

class Reader {
  constructor(bytes) {
    this.bytes = bytes;
    this.at = 0;
  }
  take(n) {
    if (this.at + n > this.bytes.length) throw new ProtocolError('a message is too short');
    const out = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  point() {
    return readPoint(this.take(32));
  }
  scalar() {
    return readScalar(this.take(32));
  }
  finish() {
    if (this.at !== this.bytes.length) throw new ProtocolError('a message is too long');
  }
}

function challenge(kind, context, points) {
  return hashToScalar(DST.challenge, lv(kind, context, ...points.map(pointBytes)));
}

// Chaum–Pedersen: key = x·B and out = x·base.
export function proveDleq(x, key, base, out, context, seed) {
  const r = nonce(seed, 'dleq', lv(context, pointBytes(out)));
  const t1 = mulBase(r);
  const t2 = mul(base, r);
  const c = challenge('dleq', context, [key, base, out, t1, t2]);
  return concat(scalarBytes(c), scalarBytes(Fn.add(r, Fn.mul(c, x))));
}

export function verifyDleq(proof, key, base, out, context) {
  const rd = new Reader(proof);
  const c = rd.scalar();
  const z = rd.scalar();
  rd.finish();
  const t1 = mulBase(z).subtract(mul(key, c));
  const t2 = mul(base, z).subtract(mul(out, c));
  if (challenge('dleq', context, [key, base, out, t1, t2]) !== c) throw new ProtocolError('a proof does not hold');
}

// The two-branch OR: out = x·bases[branch], hiding which.
export function proveOr(x, key, bases, branch, out, context, seed) {
  const other = 1 - branch;
  const salt = lv(context, pointBytes(out));
  const r = nonce(seed, 'or r', salt);
  const cOther = nonce(seed, 'or c', salt);
  const zOther = nonce(seed, 'or z', salt);
  const t = [];
  t[branch] = [mulBase(r), mul(bases[branch], r)];
  t[other] = [
    mulBase(zOther).subtract(mul(key, cOther)),
    mul(bases[other], zOther).subtract(mul(out, cOther)),
  ];
  const c = orChallenge(context, key, bases, out, t);
  const cs = [];
  const zs = [];
  cs[other] = cOther;
  zs[other] = zOther;
  cs[branch] = Fn.sub(c, cOther);
  zs[branch] = Fn.add(r, Fn.mul(cs[branch], x));
  return concat(...[cs[0], cs[1], zs[0], zs[1]].map(scalarBytes));
}

export function verifyOr(proof, key, bases, out, context) {
  const rd = new Reader(proof);
  const [c0, c1, z0, z1] = [rd.scalar(), rd.scalar(), rd.scalar(), rd.scalar()];
  rd.finish();
  const t = [
    [c0, z0],
    [c1, z1],
  ].map(([c, z], i) => [mulBase(z).subtract(mul(key, c)), mul(bases[i], z).subtract(mul(out, c))]);
  if (orChallenge(context, key, bases, out, t) !== Fn.add(c0, c1)) throw new ProtocolError('a proof does not hold');
}

function orChallenge(context, key, bases, out, t) {
  return challenge('or', context, [key, bases[0], bases[1], out, t[0][0], t[0][1], t[1][0], t[1][1]]);
}

// --- the check-in ---------------------------------------------------------

const holds = (answer, level) => (level === 0 ? answer >= ANSWERS.maybe : answer === ANSWERS.yes);
const token = (day, slot) => hashToGroup(DST.slot, lv(day.pair, day.date, ITEMS[slot >> 1], LEVELS[slot & 1]));
const absent = (day, role, slot) =>
  hashToGroup(DST.absent, lv(day.pair, day.date, role, ITEMS[slot >> 1], LEVELS[slot & 1]));
const context = (day, role, slot) => lv(day.pair, day.date, role, new Uint8Array([slot]));

export function daySecret(deviceSeed, day) {
  const x = hashToScalar(DST.daySecret, lv(deviceSeed, day.pair, day.date));
  return { x, pub: mulBase(x) };
}

function blindOwn(day, role, secret, answers, seed) {
  const parts = [pointBytes(secret.pub)];
  for (let slot = 0; slot < SLOTS; slot++) {
    const bases = [token(day, slot), absent(day, role, slot)];
    const branch = holds(answers[slot >> 1], slot & 1) ? 0 : 1;
    const blinded = mul(bases[branch], secret.x);
    parts.push(pointBytes(blinded), proveOr(secret.x, secret.pub, bases, branch, blinded, context(day, role, slot), seed));
  }
  return parts;
}

function readOwn(rd, day, role) {
  const key = rd.point();
  const points = [];
  for (let slot = 0; slot < SLOTS; slot++) {
    const p = rd.point();
    verifyOr(rd.take(OR_LEN), key, [token(day, slot), absent(day, role, slot)], p, context(day, role, slot));
    points.push(p);
  }
  return { key, points };
}

function reblind(day, role, secret, theirs, seed) {
  return theirs.flatMap((p, slot) => {
    const q = mul(p, secret.x);
    return [pointBytes(q), proveDleq(secret.x, secret.pub, p, q, context(day, role, slot), seed)];
  });
}

function readReblinded(rd, day, role, key, mine) {
  return mine.map((p, slot) => {
    const q = rd.point();
    verifyDleq(rd.take(DLEQ_LEN), key, p, q, context(day, role, slot));
    return q;
  });
}

const compare = (a, b) => a.reduce((mask, p, s) => (p.equals(b[s]) ? mask | (1 << s) : mask), 0);

function ownPoints(message) {
  if (message.length !== FIRST_LEN) throw new ProtocolError('a message has the wrong length');
  const rd = new Reader(message.subarray(32));
  const out = [];
  for (let s = 0; s < SLOTS; s++) {
    out.push(rd.point());
    rd.take(OR_LEN);
  }
  return out;
}

export const first = (day, secret, answers, seed) => concat(...blindOwn(day, 'first', secret, answers, seed));

export function second(day, secret, answers, firstMsg, seed) {
  const rd = new Reader(firstMsg);
  const { points } = readOwn(rd, day, 'first');
  rd.finish();
  return concat(...reblind(day, 'second', secret, points, seed), ...blindOwn(day, 'second', secret, answers, seed));
}

// Returns { message, overlap }: the third message and what both now see.
export function third(day, secret, firstMsg, secondMsg, seed) {
  const mine = ownPoints(firstMsg);
  const theirKey = readPoint(secondMsg.subarray(REBLIND_LEN, REBLIND_LEN + 32));
  const rd = new Reader(secondMsg);
  const doubledMine = readReblinded(rd, day, 'second', theirKey, mine);
  const { points: theirs } = readOwn(rd, day, 'second');
  rd.finish();
  const message = concat(...reblind(day, 'first', secret, theirs, seed));
  return { message, overlap: compare(doubledMine, theirs.map((p) => mul(p, secret.x))) };
}

export function finish(day, secret, firstMsg, secondMsg, thirdMsg) {
  const theirKey = readPoint(firstMsg.subarray(0, 32));
  const theirs = ownPoints(firstMsg);
  const mine = ownPoints(secondMsg.subarray(REBLIND_LEN));
  const rd = new Reader(thirdMsg);
  const doubledMine = readReblinded(rd, day, 'first', theirKey, mine);
  rd.finish();
  return compare(theirs.map((p) => mul(p, secret.x)), doubledMine);
}

// What both said of an item: 'yes', 'open' or null.
export function both(overlap, item) {
  if (overlap & (1 << (2 * item + 1))) return 'yes';
  if (overlap & (1 << (2 * item))) return 'open';
  return null;
}

// The overlap's slots that answers lowered since no longer hold.
export function loweredBy(overlap, answers) {
  let mask = 0;
  for (let s = 0; s < SLOTS; s++) if (overlap & (1 << s) && !holds(answers[s >> 1], s & 1)) mask |= 1 << s;
  return mask;
}

// --- sealing --------------------------------------------------------------

const derive = (secret, label, day, n) => hkdf(sha256, secret, utf8(DST.salt), lv(label, day.pair, day.date), n);
const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

export function channel(pairingSecret, day) {
  return { key: derive(pairingSecret, 'day key', day, 32), mailbox: hex(derive(pairingSecret, 'mailbox', day, 16)) };
}

const aad = (ch, seq) => lv(DST.salt, ch.mailbox, new Uint8Array([seq >>> 24, (seq >>> 16) & 255, (seq >>> 8) & 255, seq & 255]));

export function seal(ch, seq, kind, body, nonce12) {
  const plain = new Uint8Array(PLAIN_LEN);
  plain[0] = kind;
  plain[1] = body.length >> 8;
  plain[2] = body.length & 255;
  plain.set(body, 3);
  return concat(nonce12, chacha20poly1305(ch.key, nonce12, aad(ch, seq)).encrypt(plain));
}

export function open(ch, seq, blob) {
  if (blob.length !== BLOB_LEN) throw new ProtocolError('a sealed message has the wrong size');
  let plain;
  try {
    plain = chacha20poly1305(ch.key, blob.subarray(0, 12), aad(ch, seq)).decrypt(blob.subarray(12));
  } catch {
    throw new ProtocolError('this message was not sealed with this pairing’s key');
  }
  const kind = plain[0];
  if (kind < 1 || kind > 5) throw new ProtocolError('a message of an unknown kind');
  const len = (plain[1] << 8) | plain[2];
  if (3 + len > PLAIN_LEN) throw new ProtocolError('a sealed message’s length is wrong');
  return { kind, body: plain.slice(3, 3 + len) };
}

// --- pairing --------------------------------------------------------------

export const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function formatCode(id, password) {
  const all = id + password;
  return `${all.slice(0, 5)} ${all.slice(5)}`;
}

export function parseCode(typed) {
  let clean = '';
  for (const ch of typed.toUpperCase()) {
    if (ch === ' ' || ch === '-' || ch === '\t') continue;
    const c = ch === 'O' ? '0' : ch === 'I' || ch === 'L' ? '1' : ch;
    if (!ALPHABET.includes(c)) return null;
    clean += c;
  }
  return clean.length === 10 ? { id: clean.slice(0, 4), password: clean.slice(4) } : null;
}

export const passwordFrom = (random6) => Array.from(random6, (b) => ALPHABET[b & 31]).join('');

export function share(password, seed) {
  const secret = nonce(seed, 'pake', password);
  return { secret, pub: pointBytes(mul(hashToGroup(DST.pake, lv(password)), secret)) };
}

export function agree(mine, invitation, inviter, joiner, iAmInviter) {
  const shared = mul(readPoint(iAmInviter ? joiner : inviter), mine.secret);
  if (shared.is0()) throw new ProtocolError('a share is of small order');
  const isk = sha512(lv(DST.isk, invitation, pointBytes(shared), inviter, joiner));
  const out = (label, n) => hkdf(sha256, isk, utf8(DST.salt), utf8(label), n);
  const d = out('confirmation code', 4);
  const n = (((d[0] << 24) >>> 0) + (d[1] << 16) + (d[2] << 8) + d[3]) % 1000000;
  const pad = (x) => String(x).padStart(3, '0');
  return {
    secret: out('pairing secret', 32),
    confirmation: `${pad(Math.floor(n / 1000))} ${pad(n % 1000)}`,
    tagKey: out('confirmation tags', 32),
  };
}

export const tag = (paired, fromInviter) => hmac(sha256, paired.tagKey, utf8(fromInviter ? 'inviter' : 'joiner'));

export function checkTag(paired, got, fromInviter) {
  const want = tag(paired, fromInviter);
  let diff = got.length ^ want.length;
  for (let i = 0; i < want.length; i++) diff |= want[i] ^ (got[i] ?? 0);
  if (diff !== 0) throw new ProtocolError('the code did not match');
}
