// The browser's protocol code, exactly as served (the committed bundle),
// reproduces every byte of the vectors the Rust crate writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const bundle = join(root, 'crates', 'hearth-server', 'static', 'partner.js');
const P = await import(bundle);
const V = JSON.parse(readFileSync(join(root, 'crates', 'hearth-partner', 'vectors.json'), 'utf8'));

const hex = (b) => Buffer.from(b).toString('hex');
const bytes = (h) => new Uint8Array(Buffer.from(h, 'hex'));
const te = new TextEncoder();
const answers = (list) => list.map((a) => P.ANSWERS[a]);

test('the committed bundle is what the sources build', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'partner-')), 'partner.js');
  execFileSync(
    join(here, '..', 'node_modules', '.bin', 'esbuild'),
    ['src/index.js', '--bundle', '--format=esm', '--target=es2020', '--legal-comments=eof', `--outfile=${out}`, '--log-level=warning'],
    { cwd: join(here, '..') },
  );
  assert.equal(readFileSync(out, 'utf8'), readFileSync(bundle, 'utf8'), 'run `npm run build` in web/partner');
});

test('hashing to the group and to scalars matches', () => {
  for (const h of V.hashes) {
    assert.equal(hex(P.expandXmd(te.encode(h.msg), h.dst)), h.expand);
    assert.equal(hex(P.hashToGroup(h.dst, te.encode(h.msg)).toBytes()), h.group);
    const s = P.hashToScalar(h.dst, te.encode(h.msg));
    assert.equal(s.toString(16).padStart(64, '0'), Buffer.from(h.scalar, 'hex').reverse().toString('hex'));
  }
});

test('every check-in message and overlap matches, from both sides', () => {
  for (const c of V.checkins) {
    const day = { pair: c.pair, date: c.date };
    const a = P.daySecret(bytes(c.device_seed_first), day);
    const b = P.daySecret(bytes(c.device_seed_second), day);
    const [s3, s4, s5] = c.seeds.map(bytes);
    const m1 = P.first(day, a, answers(c.answers_first), s3);
    assert.equal(hex(m1), c.first);
    const m2 = P.second(day, b, answers(c.answers_second), m1, s4);
    assert.equal(hex(m2), c.second);
    const { message: m3, overlap } = P.third(day, a, m1, m2, s5);
    assert.equal(hex(m3), c.third);
    assert.equal(overlap, c.overlap);
    assert.equal(P.finish(day, b, m1, m2, m3), c.overlap);
  }
});

test('a tampered message is refused, as in Rust', () => {
  const c = V.checkins[0];
  const day = { pair: c.pair, date: c.date };
  const b = P.daySecret(bytes(c.device_seed_second), day);
  const m1 = bytes(c.first);
  const swapped = m1.slice();
  swapped.set(m1.subarray(192, 224), 32);
  swapped.set(m1.subarray(32, 64), 192);
  assert.throws(() => P.second(day, b, [2, 2, 2, 2, 2, 2], swapped, bytes(c.seeds[1])), P.ProtocolError);
  assert.throws(() => P.second({ ...day, date: '2026-12-04' }, b, [2, 2, 2, 2, 2, 2], m1, bytes(c.seeds[1])), P.ProtocolError);
});

test('sealing matches and opens only in its place', () => {
  const s = V.seal;
  const ch = P.channel(bytes(s.pairing_secret), { pair: s.pair, date: s.date });
  assert.equal(ch.mailbox, s.mailbox);
  const blob = P.seal(ch, s.seq, s.kind, bytes(s.body), bytes(s.nonce));
  assert.equal(blob.length, P.BLOB_LEN);
  assert.equal(hex(blob), s.blob);
  const opened = P.open(ch, s.seq, blob);
  assert.equal(opened.kind, s.kind);
  assert.equal(hex(opened.body), s.body);
  assert.throws(() => P.open(ch, s.seq + 1, blob), P.ProtocolError);
});

test('pairing reaches the same secret and code, and a wrong code is caught', () => {
  for (const p of V.pairings) {
    const a = P.share(p.password_inviter, bytes(p.seed_inviter));
    const b = P.share(p.password_joiner, bytes(p.seed_joiner));
    assert.equal(hex(a.pub), p.share_inviter);
    assert.equal(hex(b.pub), p.share_joiner);
    const pa = P.agree(a, p.invitation, a.pub, b.pub, true);
    const pb = P.agree(b, p.invitation, a.pub, b.pub, false);
    assert.equal(hex(pa.secret), p.secret_inviter);
    assert.equal(hex(pb.secret), p.secret_joiner);
    assert.equal(pa.confirmation, p.confirmation_inviter);
    assert.equal(pb.confirmation, p.confirmation_joiner);
    assert.equal(hex(P.tag(pa, true)), p.tag_inviter);
    assert.equal(hex(P.tag(pb, false)), p.tag_joiner);
    if (p.password_inviter === p.password_joiner) P.checkTag(pa, P.tag(pb, false), false);
    else assert.throws(() => P.checkTag(pa, P.tag(pb, false), false), P.ProtocolError);
  }
  for (const c of V.codes) {
    const got = P.parseCode(c.typed);
    assert.deepEqual(got, c.id === null ? null : { id: c.id, password: c.password });
  }
});
