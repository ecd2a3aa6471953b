// harness.mjs — black-box test harness for fazhi: a fresh store per test
// file on SQLite (a temp file) or PostgreSQL (a fresh database on the server
// in FAZHI_TEST_PG_URI), `fazhi init`, accounts, the org fixture, settings,
// and `fazhi serve` on a free local port. No npm dependencies.
//
//   FAZHI_TEST_BACKEND  sqlite (default) | postgresql
//   FAZHI_TEST_PG_URI   postgresql://USER@HOST:PORT/DB — a server where the
//                       tests may CREATE and DROP databases (postgresql only)
//   FAZHI_BIN           the fazhi binary (default build/fazhi)
import { spawn, execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(HERE, '..', '..');
export const FIXTURES = join(HERE, 'fixtures');
export const ORG_FIXTURE = join(FIXTURES, 'org.jsonl');
export const BIN = resolve(REPO, process.env.FAZHI_BIN || 'build/fazhi');
export const BACKEND = process.env.FAZHI_TEST_BACKEND || 'sqlite';
if (BACKEND !== 'sqlite' && BACKEND !== 'postgresql')
	throw new Error(`FAZHI_TEST_BACKEND must be sqlite or postgresql, not ${BACKEND}`);
export const PG = BACKEND === 'postgresql';
if (PG && !process.env.FAZHI_TEST_PG_URI)
	throw new Error('FAZHI_TEST_BACKEND=postgresql needs FAZHI_TEST_PG_URI (e.g. postgresql://postgres@127.0.0.1:5432/postgres)');

/** A password that meets the policy and contains none of the test usernames. */
export const PASSWORD = 'Kq7#mVw2-Lz';
/** The same for the administrator roles (at least 12 characters). */
export const ADMIN_PASSWORD = 'Kq7#mVw2-Lz9x';
export const ADMIN_ROLES = ['sysadmin', 'secadmin', 'auditor'];

// ---- TOTP (RFC 6238: HMAC-SHA1, 6 digits, 30 s), computed here to test the server's ----

/** RFC 4648 base32 (no padding needed) to bytes. */
export function base32Decode(s) {
	const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	let bits = 0, value = 0;
	const out = [];
	for (const c of s.replace(/=+$/, '').toUpperCase()) {
		const v = abc.indexOf(c);
		if (v < 0) throw new Error(`not base32: ${c}`);
		value = (value << 5) | v;
		bits += 5;
		if (bits >= 8) {
			out.push((value >>> (bits - 8)) & 255);
			bits -= 8;
		}
	}
	return Buffer.from(out);
}

/** The 6-digit code of a base32 secret for a time step (default: now). */
export function totpCode(secret, step = Math.floor(Date.now() / 30000)) {
	const msg = Buffer.alloc(8);
	msg.writeBigUInt64BE(BigInt(step));
	const h = createHmac('sha1', base32Decode(secret)).update(msg).digest();
	const off = h[h.length - 1] & 15;
	const bin = ((h[off] & 127) << 24) | (h[off + 1] << 16) | (h[off + 2] << 8) | h[off + 3];
	return String(bin % 1e6).padStart(6, '0');
}

/** The secret in an otpauth:// URI printed by fazhi (user add, demo). */
export function otpauthSecret(text) {
	const m = /^otpauth:\/\/totp\/fazhi:[^?\s]+\?secret=([A-Z2-7]+)&issuer=fazhi$/m.exec(text);
	return m ? m[1] : null;
}

// ---- identifiers with check characters ----

/** GB 11643-1999: the 18-digit ID number for 17 digits (region, birth date, sequence). */
export function idNumber(first17) {
	if (!/^\d{17}$/.test(first17)) throw new Error(`17 digits expected: ${first17}`);
	const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
	let sum = 0;
	for (let i = 0; i < 17; i++) sum += Number(first17[i]) * w[i];
	return first17 + '10X98765432'[sum % 11];
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** GB 32100-2015: the 统一社会信用代码 for its first 17 characters. */
export function uscc(first17) {
	if (first17.length !== 17) throw new Error(`17 characters expected: ${first17}`);
	let sum = 0, w = 1;
	for (const c of first17) {
		const v = USCC_CHARS.indexOf(c);
		if (v < 0) throw new Error(`not a USCC character: ${c}`);
		sum += v * w;
		w = (w * 3) % 31;
	}
	return first17 + USCC_CHARS[(31 - (sum % 31)) % 31];
}

/** A USCC that no other call in this process returns (enterprise under 市场监管). */
let usccSeq = 0;
export function freshUscc(region = '330282') {
	usccSeq++;
	const mid = (randomBytes(4).readUInt32BE() % 1e6).toString().padStart(6, '0') +
		String(usccSeq % 1000).padStart(3, '0');
	return uscc(`91${region}${mid}`);
}

/** An ID number that no other call in this process returns. */
let idSeq = 0;
export function freshIdNumber(region = '330282') {
	idSeq++;
	const y = 1950 + (randomBytes(1)[0] % 50);
	const seq = String(idSeq % 1000).padStart(3, '0');
	const day = String(1 + (randomBytes(1)[0] % 28)).padStart(2, '0');
	return idNumber(`${region}${y}07${day}${seq}`);
}

/** The fixture's records, one object per line. */
export function fixtureRecords(file = ORG_FIXTURE) {
	return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

// ---- processes ----

/** Runs a command; resolves {code, stdout, stderr} (never rejects on exit status). */
export function run(cmd, args, { input, env, cwd, timeout = 60000 } = {}) {
	return new Promise((resolveRun, reject) => {
		const child = execFile(cmd, args, { env: { ...process.env, ...env }, cwd, timeout, maxBuffer: 64 << 20 },
			(err, stdout, stderr) => {
				if (err && typeof err.code !== 'number' && err.code !== null && !err.killed)
					return reject(err); // spawn failure (ENOENT …)
				resolveRun({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
			});
		if (input !== undefined) child.stdin.end(input);
		else child.stdin.end();
	});
}

async function mustRun(cmd, args, opts) {
	const r = await run(cmd, args, opts);
	if (r.code !== 0)
		throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
	return r;
}

/** A TCP port that is free right now on 127.0.0.1. */
export function freePort() {
	return new Promise((ok, fail) => {
		const s = createServer();
		s.unref();
		s.on('error', fail);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => ok(port));
		});
	});
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Servers still running when this process ends (a timeout, ^C) go with it.
const live = new Set();
process.on('exit', () => { for (const c of live) c.kill('SIGKILL'); });
for (const sig of ['SIGINT', 'SIGTERM'])
	process.once(sig, () => { for (const c of live) c.kill('SIGKILL'); process.exit(130); });

function pgUriFor(serverUri, dbname) {
	const u = new URL(serverUri);
	u.pathname = '/' + dbname;
	return u.toString();
}

// ---- HTTP ----

/** Parses a fetch Response: {status, headers, text, json, buf, cookies}. */
async function answer(res) {
	const buf = Buffer.from(await res.arrayBuffer());
	const text = buf.toString('utf8');
	let json = null;
	if ((res.headers.get('content-type') || '').startsWith('application/json') && text) {
		try { json = JSON.parse(text); } catch { json = null; }
	}
	return { status: res.status, headers: res.headers, text, json, buf, cookies: res.headers.getSetCookie() };
}

/**
 * A fresh installation. Options:
 *   users:    [{username, role, scope?, bodies?: [codes], password?}] (default: defaultUsers())
 *   fixture:  import fixtures/org.jsonl before the users (default true)
 *   settings: {key: value} set before serving (ip_lock_threshold 1000 unless given)
 *   serve:    start the server (default true)
 *   existing: {uri, dbPath?, keyFile?} serve this store as it is
 *   serveArgs: more arguments for `fazhi serve` (e.g. ['--behind-tls'])
 */
export async function setup(opts = {}) {
	const env = new Env(opts);
	try {
		await env.init();
	} catch (e) {
		await env.close();
		throw e;
	}
	return env;
}

export function defaultUsers() {
	return [
		{ username: 'coord', role: 'coordinator' },                                  // the whole city
		{ username: 'coord_a', role: 'coordinator', scope: '330282' },               // county A 慈溪市
		{ username: 'coord_b', role: 'coordinator', scope: '330281' },               // county B 余姚市
		{ username: 'dept_a', role: 'department', scope: '330282', bodies: ['B330282-SCJG'] },
		{ username: 'evaluator', role: 'evaluator' },
		{ username: 'sysadmin', role: 'sysadmin' },
		{ username: 'secadmin', role: 'secadmin' },
		{ username: 'auditor', role: 'auditor' },
	];
}

class Env {
	constructor(opts) {
		this.opts = opts;
		this.backend = BACKEND;
		this.dir = mkdtempSync(join(tmpdir(), 'fazhi-it-'));
		this.child = null;
		this.serverLog = '';
		this.passwords = {};
		this.totpSecrets = {}; // username → base32 secret (administrators, enrolled users)
		this.totpLast = {};    // username → last time step used (the server accepts each once)
		if (opts.existing) {
			// Serve a store made elsewhere (a backup): not initialised, not dropped.
			this.uri = opts.existing.uri;
			this.dbPath = opts.existing.dbPath;
			this.env = { FAZHI_KEY_FILE: opts.existing.keyFile || '' };
		} else if (PG) {
			this.pgServer = process.env.FAZHI_TEST_PG_URI;
			this.pgName = `fazhi_it_${process.pid}_${randomBytes(4).toString('hex')}`;
			this.uri = pgUriFor(this.pgServer, this.pgName);
			// Without it the key of a PostgreSQL store would be ./fazhi.key.
			this.env = { FAZHI_KEY_FILE: join(this.dir, 'fazhi.key') };
		} else {
			this.dbPath = join(this.dir, 'fazhi.db');
			this.uri = `sqlite:${this.dbPath}`;
			this.env = { FAZHI_KEY_FILE: '' };
		}
	}

	async init() {
		if (this.opts.existing) {
			Object.assign(this.passwords, this.opts.existing.passwords || {});
			return this.start();
		}
		if (PG) {
			await mustRun('psql', [this.pgServer, '-qAt', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${this.pgName}`]);
			this.pgCreated = true;
		}
		await this.mustFazhi(['init', '--db', this.uri]);
		if (this.opts.fixture !== false)
			await this.mustFazhi(['import', '--db', this.uri, ORG_FIXTURE]);
		for (const u of this.opts.users || defaultUsers())
			await this.addUser(u);
		// Many tests log in again and again from 127.0.0.1: lift the address
		// lock and the global login rate unless a test sets them.
		const settings = { ip_lock_threshold: 1000, login_rate_per_minute: 100000, ...(this.opts.settings || {}) };
		for (const [k, v] of Object.entries(settings))
			await this.mustFazhi(['settings', 'set', k, String(v), '--db', this.uri]);
		if (this.opts.serve !== false)
			await this.start();
	}

	/** Runs `fazhi ARGS` with this store's key; resolves {code, stdout, stderr}. */
	fazhi(args, opts = {}) {
		// `fazhi demo` writes two years of every register (thousands of round trips
		// on PostgreSQL): it gets four minutes, the rest the default minute.
		const timeout = opts.timeout ?? (args[0] === 'demo' ? 240000 : undefined);
		return run(BIN, args, { cwd: this.dir, ...opts, ...(timeout ? { timeout } : {}), env: { ...this.env, ...(opts.env || {}) } });
	}

	mustFazhi(args, opts) {
		return this.fazhi(args, opts).then((r) => {
			if (r.code !== 0)
				throw new Error(`fazhi ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
			return r;
		});
	}

	/**
	 * `fazhi user add`. With password (default PASSWORD) it goes through
	 * --password-stdin; with password: null the generated initial password is
	 * parsed from stdout. Resolves the password.
	 */
	async addUser({ username, role, scope, bodies = [], name, password = ADMIN_ROLES.includes(role) ? ADMIN_PASSWORD : PASSWORD }) {
		const args = ['user', 'add', '--db', this.uri, '--username', username, '--role', role];
		if (scope) args.push('--scope', scope);
		if (name) args.push('--name', name);
		for (const b of bodies) args.push('--body', b);
		if (password !== null) args.push('--password-stdin');
		const r = await this.mustFazhi(args, { input: password !== null ? password + '\n' : undefined });
		if (password === null) {
			const m = /initial password: ([^\s（]+)（/.exec(r.stdout);
			if (!m) throw new Error(`no initial password in: ${r.stdout}`);
			password = m[1];
		}
		this.passwords[username] = password;
		const secret = otpauthSecret(r.stdout);
		if (ADMIN_ROLES.includes(role) && !secret) throw new Error(`no otpauth URI for ${username} in: ${r.stdout}`);
		if (secret) this.setTotp(username, secret);
		return password;
	}

	/** Remembers a user's TOTP secret: logins then send a code. */
	setTotp(username, secret) {
		this.totpSecrets[username] = secret;
		this.totpLast[username] = 0;
	}

	/**
	 * A code for username the server has not accepted yet: the current step
	 * or the next (the server accepts now ±1; the previous step would be out
	 * of its window if the request crossed a step boundary), after the last
	 * one used here; waits for the next step when both are spent.
	 */
	async nextTotp(username) {
		const secret = this.totpSecrets[username];
		if (!secret) return undefined;
		for (;;) {
			const now = Math.floor(Date.now() / 30000);
			const step = [now, now + 1].find((x) => x > (this.totpLast[username] || 0));
			if (step !== undefined) {
				this.totpLast[username] = step;
				return totpCode(secret, step);
			}
			await sleep((now + 1) * 30000 - Date.now() + 100);
		}
	}

	/** Runs SQL on the store with the backend's own client; resolves stdout (rows as a|b lines). */
	async sql(query) {
		const r = PG
			? await run('psql', [this.uri, '-qAt', '-v', 'ON_ERROR_STOP=1', '-c', query])
			: await run('sqlite3', ['-cmd', '.timeout 10000', this.dbPath, query]);
		if (r.code !== 0) throw new Error(`SQL failed (${query}): ${r.stderr}`);
		return r.stdout.trim();
	}

	async start() {
		this.port = await freePort();
		this.base = `http://127.0.0.1:${this.port}`;
		const args = ['serve', '--db', this.uri, '--listen', `127.0.0.1:${this.port}`, '--threads', '2'];
		const web = join(REPO, 'web', 'dist');
		if (existsSync(join(web, 'index.html'))) args.push('--web', web);
		args.push(...(this.opts.serveArgs || []));
		this.serverLog = '';
		const child = spawn(BIN, args, { cwd: this.dir, env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
		this.child = child;
		live.add(child);
		child.on('exit', () => live.delete(child));
		child.stdout.on('data', (d) => { this.serverLog += d; });
		child.stderr.on('data', (d) => { this.serverLog += d; });
		this.exited = new Promise((r) => child.on('exit', (code, sig) => r({ code, sig })));
		let dead = null;
		this.exited.then((x) => { dead = x; });
		const t0 = Date.now();
		for (;;) {
			if (dead) throw new Error(`fazhi serve exited (${dead.code ?? dead.sig}):\n${this.serverLog}`);
			try {
				const res = await fetch(this.base + '/api/v1/health');
				if (res.status === 200) { await res.arrayBuffer(); break; }
			} catch { /* not listening yet */ }
			if (Date.now() - t0 > 15000) throw new Error(`fazhi serve did not answer /api/v1/health:\n${this.serverLog}`);
			await sleep(50);
		}
	}

	async stop() {
		const child = this.child;
		if (!child) return;
		this.child = null;
		const crashed = child.exitCode !== null || child.signalCode !== null;
		if (!crashed) {
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
			const { code, sig } = await this.exited;
			clearTimeout(timer);
			if (code !== 0 && sig !== 'SIGTERM')
				throw new Error(`fazhi serve ended badly on SIGTERM (${code ?? sig}):\n${this.serverLog}`);
		}
		if (crashed)
			throw new Error(`fazhi serve ended during the tests (${child.exitCode ?? child.signalCode}` +
				`${child.exitCode === 0 ? ': stopped by a signal from outside the tests' : ''}):\n${this.serverLog}`);
		if (/AddressSanitizer|LeakSanitizer|runtime error:/.test(this.serverLog))
			throw new Error(`sanitizer report from fazhi serve:\n${this.serverLog}`);
	}

	async restart() {
		await this.stop();
		await this.start();
	}

	async close() {
		try {
			await this.stop();
		} finally {
			await this.cleanup();
		}
	}

	async cleanup() {
		await this.dumpAuditDetails();
		if (this.pgCreated)
			await run('psql', [this.pgServer, '-qAt', '-c', `DROP DATABASE IF EXISTS ${this.pgName} WITH (FORCE)`]);
		rmSync(this.dir, { recursive: true, force: true });
	}

	/**
	 * The whole suite (run.sh sets FAZHI_AUDIT_DETAILS): the store's audit
	 * details, "entity<TAB>detail" per line, appended for audit_labels.mjs,
	 * which checks the audit viewer has a Chinese label for every key.
	 */
	async dumpAuditDetails() {
		const out = process.env.FAZHI_AUDIT_DETAILS;
		if (!out || this.opts.existing) return;
		try {
			const rows = await this.sql(`SELECT DISTINCT entity || ${PG ? 'chr(9)' : 'char(9)'} || detail FROM audit_log`);
			if (rows) appendFileSync(out, rows + '\n');
		} catch { /* a store a test broke on purpose: nothing to read */ }
	}

	/**
	 * One request. sess = {cookie, csrf} from login(); its CSRF token goes
	 * with every state-changing method unless csrf is given (false = none).
	 * body: an object (sent as JSON), or a string/Buffer sent as is.
	 */
	async req(method, path, { sess, body, headers = {}, csrf, contentType } = {}) {
		const h = { ...headers };
		if (sess) h.Cookie = sess.cookie;
		const changes = !['GET', 'HEAD'].includes(method);
		const token = csrf === undefined ? sess?.csrf : csrf;
		if (changes && token) h['X-CSRF-Token'] = token;
		let payload;
		if (body !== undefined) {
			payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
			h['Content-Type'] = contentType || 'application/json';
		}
		const res = await fetch(this.base + path, { method, headers: h, body: payload, redirect: 'manual',
			signal: AbortSignal.timeout(30000) });
		return answer(res);
	}

	/**
	 * A request with the path sent byte for byte (fetch normalises "/../"
	 * and percent-encoding): resolves {status, headers, text}.
	 */
	raw(method, path, { headers = {}, body } = {}) {
		return new Promise((ok, fail) => {
			const rq = httpRequest({ host: '127.0.0.1', port: this.port, method, path, headers, insecureHTTPParser: true }, (res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => ok({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
			});
			rq.on('error', fail);
			rq.end(body);
		});
	}

	get(path, sess, opts = {}) { return this.req('GET', path, { ...opts, sess }); }
	post(path, sess, body, opts = {}) { return this.req('POST', path, { ...opts, sess, body }); }
	patch(path, sess, body, opts = {}) { return this.req('PATCH', path, { ...opts, sess, body }); }

	/**
	 * POST /api/v1/session; resolves the raw answer. A user with a known TOTP
	 * secret sends a fresh code unless totp is given (null: none).
	 */
	async tryLogin(username, password = this.passwords[username] ?? PASSWORD, { totp } = {}) {
		const body = { username, password };
		const code = totp === undefined ? await this.nextTotp(username) : totp;
		if (code !== undefined && code !== null) body.totp = code;
		return this.req('POST', '/api/v1/session', { body });
	}

	/** Logs in (must succeed); resolves {cookie, csrf, user}. */
	async login(username, password) {
		const r = await this.tryLogin(username, password);
		if (r.status !== 200)
			throw new Error(`login ${username}: ${r.status} ${r.text}`);
		return { cookie: sessionCookie(r), csrf: r.json.csrf_token, user: r.json.user };
	}

	/** Audit entries (as the auditor) matching the filters, newest first. */
	async audit(filters = {}, auditorSess) {
		const sess = auditorSess || (this.auditorSess ||= await this.login('auditor'));
		const q = new URLSearchParams({ limit: '200', ...filters });
		const r = await this.get(`/api/v1/audit?${q}`, sess);
		if (r.status !== 200) throw new Error(`audit list: ${r.status} ${r.text}`);
		return r.json.items;
	}

	/** A rectification item for body, due on deadline, created by sess; its id. */
	async rectItem(sess, body, deadline, issue) {
		const r = await this.post('/api/v1/registers/rectification/records', sess,
			{ body, start_date: addDays(todayCst(), -40), data: { source: '法治督察', issue, deadline } });
		if (r.status !== 201) throw new Error(`rectification item: ${r.status} ${r.text}`);
		return r.json.id;
	}

	/** Takes transition on a rectification item as sess; throws unless 200. */
	async rectStep(sess, id, transition, data) {
		const r = await this.post(`/api/v1/registers/rectification/records/${id}/transitions`, sess,
			data ? { transition, data } : { transition });
		if (r.status !== 200) throw new Error(`${transition}: ${r.status} ${r.text}`);
	}

	/** The id of a record by a list query (first item), e.g. idOf('bodies', {q: 'B330282-SCJG'}). */
	async idOf(resource, query, sess) {
		const s = sess || (this.coordSess ||= await this.login('coord'));
		const r = await this.get(`/api/v1/${resource}?${new URLSearchParams(query)}`, s);
		if (r.status !== 200 || !r.json.items.length)
			throw new Error(`no ${resource} for ${JSON.stringify(query)}: ${r.status} ${r.text}`);
		return r.json.items[0].id;
	}
}

/** "fazhi_session=…" from a login answer's Set-Cookie. */
export function sessionCookie(r) {
	const c = r.cookies.find((x) => x.startsWith('fazhi_session='));
	if (!c) throw new Error('no fazhi_session cookie');
	return c.split(';')[0];
}

/** Asserts an error answer: status, code and (when given) field. */
export function expectError(assert, r, status, code, field) {
	assert.equal(r.status, status, `expected ${status} ${code}, got ${r.status}: ${r.text}`);
	assert.ok(r.json && r.json.error, `error object expected: ${r.text}`);
	assert.equal(r.json.error.code, code, `code: ${r.text}`);
	assert.equal(typeof r.json.error.message, 'string');
	if (field !== undefined) assert.equal(r.json.error.field, field, `field: ${r.text}`);
}

export function writeTemp(env, name, content) {
	const p = join(env.dir, name);
	writeFileSync(p, content);
	return p;
}

/** The entries of a .zip (an .xlsx) as {name: Buffer}: stored or deflated. */
export function unzip(buf) {
	let eocd = -1;
	for (let i = buf.length - 22; i >= 0; i--)
		if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
	if (eocd < 0) throw new Error('not a zip file');
	const n = buf.readUInt16LE(eocd + 10);
	let p = buf.readUInt32LE(eocd + 16);
	const out = {};
	for (let i = 0; i < n; i++) {
		if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad zip central directory');
		const method = buf.readUInt16LE(p + 10), csize = buf.readUInt32LE(p + 20);
		const nameLen = buf.readUInt16LE(p + 28), extraLen = buf.readUInt16LE(p + 30), commentLen = buf.readUInt16LE(p + 32);
		const local = buf.readUInt32LE(p + 42);
		const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
		const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
		const data = buf.subarray(start, start + csize);
		out[name] = method === 0 ? Buffer.from(data) : inflateRawSync(data);
		p += 46 + nameLen + extraLen + commentLen;
	}
	return out;
}

/**
 * A .zip (an .xlsx) of {name: Buffer|string}, each entry deflated, for the
 * tests that make workbooks by hand. declare: {name: size} states a size
 * other than the real one in the headers (a hostile file's lie).
 */
export function zip(entries, { declare = {} } = {}) {
	const locals = [], centrals = [];
	let offset = 0;
	for (const [name, content] of Object.entries(entries)) {
		const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
		const packed = deflateRawSync(data);
		const nameBuf = Buffer.from(name, 'utf8');
		const size = declare[name] ?? data.length;
		const head = (sig, extra) => {
			const b = Buffer.alloc(extra ? 46 : 30);
			b.writeUInt32LE(sig, 0);
			const o = extra ? 2 : 0; // the central header has "version made by" first
			if (extra) b.writeUInt16LE(20, 4);
			b.writeUInt16LE(20, 4 + o); // version needed
			b.writeUInt16LE(0x800, 6 + o); // UTF-8 names
			b.writeUInt16LE(8, 8 + o); // deflate
			b.writeUInt32LE(crc32(data) >>> 0, 14 + o);
			b.writeUInt32LE(packed.length, 18 + o);
			b.writeUInt32LE(size, 22 + o);
			b.writeUInt16LE(nameBuf.length, 26 + o);
			if (extra) b.writeUInt32LE(offset, 42);
			return b;
		};
		const local = Buffer.concat([head(0x04034b50, false), nameBuf, packed]);
		centrals.push(Buffer.concat([head(0x02014b50, true), nameBuf]));
		locals.push(local);
		offset += local.length;
	}
	const central = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(centrals.length, 8);
	end.writeUInt16LE(centrals.length, 10);
	end.writeUInt32LE(central.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, central, end]);
}

// ---- dates (added for the register and evaluation tests) ----

/** Today in China Standard Time (the server's business day), YYYY-MM-DD. */
export function todayCst() {
	return new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
}

/** DATE (YYYY-MM-DD) plus n calendar days (n may be negative). */
export function addDays(date, n) {
	const d = new Date(`${date}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + n);
	return d.toISOString().slice(0, 10);
}

/**
 * `fazhi deadline --from FROM --days N` (or --working-days N): resolves the
 * due date it prints; throws when it fails. No store needed.
 */
export async function deadlineCli(from, { days, workingDays, months, extra = [] } = {}) {
	const unit = days ? ['--days', String(days)] : months ? ['--months', String(months)] : ['--working-days', String(workingDays)];
	const args = ['deadline', '--from', from, ...unit, ...extra];
	const r = await run(BIN, args);
	if (r.code !== 0) throw new Error(`fazhi ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
	return r.stdout.split('\n')[0].trim();
}
