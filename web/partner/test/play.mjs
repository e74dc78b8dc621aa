// One partner, played by the browser's own code (the served bundle) in Node
// against a real Hearth server, for the Rust side's interoperation test:
//   node play.mjs <base-url> <username> <state-file> invite
//   node play.mjs <base-url> <username> <state-file> join <code>
//   node play.mjs <base-url> <username> <state-file> answer <date> <a,b,c,d,e,f>
// Prints one JSON line per step; exits non-zero on any failure.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const { Partner, HttpError } = await import(join(here, '..', '..', '..', 'crates', 'hearth-server', 'static', 'partner.js'));
const [base, username, stateFile, command, ...args] = process.argv.slice(2);

let cookie = '';
async function http(method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const set = res.headers.get('set-cookie');
  if (set) cookie = set.split(';')[0];
  if (res.status === 204) return null;
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new HttpError(res.status, (data && data.error) || String(res.status));
  return data;
}

const storage = {
  get: (k) => (existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8'))[k] ?? null : null),
  set: (k, v) => {
    const all = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : {};
    all[k] = v;
    writeFileSync(stateFile, JSON.stringify(all));
  },
};
const out = (v) => process.stdout.write(`${JSON.stringify(v)}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(fn, what) {
  for (let i = 0; i < 200; i++) {
    const v = await fn();
    if (v !== null && v !== undefined) return v;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const password = 'a good long password for partners';
try {
  await http('POST', '/api/v1/auth/register', { username, password });
} catch (e) {
  if (e.status !== 409 && e.status !== 422) throw e;
  await http('POST', '/api/v1/auth/login', { username, password });
}
const me = new Partner({ http, storage, key: 'partner' });

if (command === 'invite' || command === 'join') {
  if (command === 'invite') out(await me.invite());
  else await me.join(args[0]);
  await until(async () => ((await me.sync(await me.status())) === 'paired' ? true : null), 'the pairing');
  out({ paired: me.load().pair.confirmation });
} else if (command === 'answer') {
  const [date, list] = args;
  const started = performance.now();
  await me.answer(date, list.split(',').map(Number));
  const r = await until(async () => {
    const p = await me.progress(date);
    return p.overlap === null ? null : p;
  }, 'the overlap');
  out({ overlap: r.overlap, ms: Math.round(performance.now() - started) });
} else {
  throw new Error(`unknown command ${command}`);
}
