// limits.test.mjs — load before checks (issue 7, finding 7) and the
// client address and access log (finding 11), over raw node:net sockets:
// refusals (413, 401, 415) answered on the headers before any body byte
// is sent; chunked bodies cut at the route's limit; idle and trickling
// sockets from one address do not stop /api/v1/health and are closed at
// the header deadline; sixty 10 MB uploads do not take the memory; one
// export per user at a time; static targets stay inside the web root;
// X-Forwarded-For is read only from a trusted proxy; control characters
// are escaped in the access log.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { addDays, expectError, setup, todayCst, unzip } from './harness.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** An answer in buf (status 0 when none), its JSON when it has one. */
function parse(buf) {
	const end = buf.indexOf('\r\n\r\n');
	if (end < 0) return { status: 0, text: '', json: null, headers: {} };
	const head = buf.subarray(0, end).toString('latin1');
	const headers = {};
	for (const line of head.split('\r\n').slice(1)) {
		const i = line.indexOf(':');
		headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
	}
	const n = Number(headers['content-length'] ?? buf.length - end - 4);
	const text = buf.subarray(end + 4, end + 4 + n).toString('utf8');
	let json = null;
	try { json = JSON.parse(text); } catch { /* not JSON */ }
	return { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] || 0), headers, text, json };
}

function complete(buf) {
	const end = buf.indexOf('\r\n\r\n');
	if (end < 0) return false;
	const m = /\r\ncontent-length: *(\d+)/i.exec(buf.subarray(0, end).toString('latin1'));
	return m ? buf.length >= end + 4 + Number(m[1]) : false;
}

/**
 * Sends head (and body, when given) on a fresh socket; resolves the answer
 * with how the exchange ended: 'answer', 'closed', 'error' or 'timeout'.
 */
function exchange(port, head, { body, localAddress, timeout = 5000 } = {}) {
	return new Promise((ok) => {
		const s = connect({ host: '127.0.0.1', port, localAddress });
		const chunks = [];
		let done = false;
		const finish = (how) => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			s.destroy();
			ok({ ...parse(Buffer.concat(chunks)), how });
		};
		const timer = setTimeout(() => finish('timeout'), timeout);
		s.on('connect', () => {
			s.write(head);
			if (body) s.write(body, () => {});
		});
		s.on('data', (d) => {
			chunks.push(d);
			if (complete(Buffer.concat(chunks))) finish('answer');
		});
		s.on('error', () => finish('error'));
		s.on('close', () => finish('closed'));
	});
}

/** A request head; sess adds the cookie and the CSRF token. */
function head(method, path, headers = {}, sess) {
	const h = { Host: 'localhost', ...headers };
	if (sess) {
		h.Cookie = sess.cookie;
		h['X-CSRF-Token'] = sess.csrf;
	}
	return `${method} ${path} HTTP/1.1\r\n` + Object.entries(h).map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n';
}

function memoryOf(pid) {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)[1]);
	return { rss: kb('VmRSS') * 1024, peak: kb('VmHWM') * 1024 };
}

const users = [{ username: 'coord', role: 'coordinator' }];

describe('requests refused on their headers, before the body', () => {
	let env, coord;
	before(async () => {
		env = await setup({ users });
		coord = await env.login('coord');
	});
	after(async () => { await env?.close(); });

	test('a Content-Length above the route limit → 413 before the body is sent', async () => {
		const json = await exchange(env.port, head('POST', '/api/v1/subjects',
			{ 'Content-Type': 'application/json', 'Content-Length': 50_000_000 }, coord));
		assert.equal(json.status, 413, `${json.how}: ${json.text}`);
		expectError(assert, json, 413, 'too_large');
		assert.match(json.json.error.message, /1 MB/);
		// The login takes far less than a JSON write.
		const login = await exchange(env.port, head('POST', '/api/v1/session',
			{ 'Content-Type': 'application/json', 'Content-Length': 70_000 }));
		expectError(assert, login, 413, 'too_large');
		assert.match(login.json.error.message, /64 KB/);
		// An upload route takes 10 MB, not more.
		const upload = await exchange(env.port, head('POST', '/api/v1/evidence',
			{ 'Content-Type': 'application/pdf', 'Content-Length': (10 << 20) + 1 }, coord));
		expectError(assert, upload, 413, 'too_large');
		assert.match(upload.json.error.message, /10 MB/);
		// A static file takes no body at all.
		const stat = await exchange(env.port, head('GET', '/index.html', { 'Content-Length': 1_000_000 }));
		assert.equal(stat.status, 413, stat.text);
	});

	test('an upload without a valid session → 401 before its body; without CSRF → 403', async () => {
		const h = { 'Content-Type': 'application/pdf', 'Content-Length': 5_000_000 };
		expectError(assert, await exchange(env.port, head('POST', '/api/v1/evidence', h)), 401, 'unauthenticated');
		const forged = await exchange(env.port, head('POST', '/api/v1/evidence',
			{ ...h, Cookie: 'fazhi_session=' + 'ab'.repeat(32) }));
		assert.equal(forged.status, 401, `${forged.how}: ${forged.text}`);
		const noCsrf = await exchange(env.port, head('POST', '/api/v1/evidence', { ...h, Cookie: coord.cookie }));
		expectError(assert, noCsrf, 403, 'csrf_failed');
		// A JSON write without a session: 401 before its body too.
		expectError(assert, await exchange(env.port, head('POST', '/api/v1/subjects',
			{ 'Content-Type': 'application/json', 'Content-Length': 500_000 })), 401, 'unauthenticated');
	});

	test('a body that is not JSON → 415 before it is sent; unknown routes 404, wrong methods 405', async () => {
		expectError(assert, await exchange(env.port, head('POST', '/api/v1/subjects',
			{ 'Content-Type': 'text/plain', 'Content-Length': 1000 }, coord)), 415, 'unsupported_media_type');
		expectError(assert, await exchange(env.port, head('POST', '/api/v1/nothing',
			{ 'Content-Type': 'application/json', 'Content-Length': 1000 }, coord)), 404, 'not_found');
		expectError(assert, await exchange(env.port, head('PUT', '/api/v1/subjects',
			{ 'Content-Type': 'application/json', 'Content-Length': 1000 }, coord)), 405, 'method_not_allowed');
	});

	test('a client that sends its oversized body anyway still reads the 413 (lingering close, no reset)', async () => {
		// The refusal leaves the body unread; closing at once would make the
		// kernel answer the rest with a reset that destroys the 413.
		const body = 'x'.repeat(6 << 20);
		for (let i = 0; i < 12; i++) {
			const r = await env.post('/api/v1/subjects', coord, body);
			expectError(assert, r, 413, 'too_large');
		}
	});

	test('a chunked body is read up to the route limit and no further', async () => {
		const chunk = (s) => `${Buffer.byteLength(s).toString(16)}\r\n${s}\r\n`;
		const body = JSON.stringify({ username: 'coord', password: env.passwords.coord });
		const ok = await exchange(env.port, head('POST', '/api/v1/session',
			{ 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }),
		{ body: chunk(body.slice(0, 10)) + chunk(body.slice(10)) + '0\r\n\r\n' });
		assert.equal(ok.status, 200, `${ok.how}: ${ok.text}`);
		const big = chunk('x'.repeat(16 << 10)).repeat(8) + '0\r\n\r\n'; // 128 KB > 64 KB
		const cut = await exchange(env.port, head('POST', '/api/v1/session',
			{ 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }), { body: big });
		assert.notEqual(cut.status, 200);
		assert.notEqual(cut.status, 400, 'the body was not read to its end and parsed');
		assert.equal((await env.get('/api/v1/health')).status, 200);
	});
});

describe('connections', () => {
	let env;
	before(async () => { env = await setup({ users, serveArgs: ['--header-timeout', '3'] }); });
	after(async () => { await env?.close(); });

	test('two thousand idle, trickling sockets from one address do not stop /api/v1/health', async () => {
		const sockets = [];
		let closed = 0;
		for (let i = 0; i < 2000; i++) {
			const s = connect({ host: '127.0.0.1', port: env.port, localAddress: '127.0.0.2' });
			s.on('connect', () => s.write('GET /api/v1/health HTTP/1.1\r\nHost: x\r\n'));
			s.on('error', () => {});
			s.on('close', () => { closed++; });
			sockets.push(s);
		}
		const trickle = setInterval(() => {
			for (const s of sockets) if (!s.destroyed && s.writable) s.write('X-A: b\r\n');
		}, 500);
		try {
			await sleep(500);
			for (let i = 0; i < 20; i++) {
				const r = await exchange(env.port, head('GET', '/api/v1/health'), { localAddress: '127.0.0.1', timeout: 2000 });
				assert.equal(r.status, 200, `health #${i}: ${r.how}`);
			}
			// Those the address limit let in are closed at the header deadline, trickling or not.
			const t0 = Date.now();
			while (closed < sockets.length && Date.now() - t0 < 8000) await sleep(200);
			assert.equal(closed, sockets.length, 'every attacking socket is closed');
		} finally {
			clearInterval(trickle);
			for (const s of sockets) s.destroy();
		}
	});

	test('a connection that trickles its headers is closed at the deadline', async () => {
		const s = connect({ host: '127.0.0.1', port: env.port });
		let closedAt = 0;
		const t0 = Date.now();
		s.on('error', () => {});
		s.on('close', () => { closedAt = Date.now(); });
		s.write('GET /api/v1/health HTTP/1.1\r\n');
		const trickle = setInterval(() => { if (s.writable) s.write('X'); }, 300);
		while (!closedAt && Date.now() - t0 < 9000) await sleep(100);
		clearInterval(trickle);
		s.destroy();
		assert.ok(closedAt, 'closed by the server');
		assert.ok(closedAt - t0 < 6000, `closed after ${closedAt - t0} ms`);
		// A keep-alive connection that sends requests is not cut.
		assert.equal((await env.get('/api/v1/health')).status, 200);
	});
});

describe('memory under large uploads', () => {
	let env, coord;
	before(async () => {
		env = await setup({ users });
		coord = await env.login('coord');
	});
	after(async () => { await env?.close(); });

	test('sixty 10 MB uploads from one address: the server stays up, its memory bounded', async (t) => {
		const pid = env.child.pid;
		const before = memoryOf(pid);
		const size = 10 << 20;
		const body = Buffer.alloc(size, 0x41); // not a PDF: 415 once read
		const h = head('POST', '/api/v1/evidence?filename=x.pdf', { 'Content-Type': 'application/pdf', 'Content-Length': size }, coord);
		const answers = await Promise.all(Array.from({ length: 60 }, () => exchange(env.port, h, { body, timeout: 60000 })));
		const mem = memoryOf(pid);
		const grew = mem.peak - before.rss;
		assert.ok(grew < 160 << 20, `peak memory grew by ${(grew / 1048576).toFixed(0)} MB`);
		const statuses = answers.map((a) => a.status);
		t.diagnostic(`peak memory +${(grew / 1048576).toFixed(0)} MB; answers ${statuses.join(' ')}`);
		assert.ok(statuses.some((s) => s === 503), `some refused while the budget was spent: ${statuses}`);
		assert.ok(statuses.every((s) => [0, 415, 503].includes(s)), `${statuses}`);
		assert.equal((await env.get('/api/v1/health')).status, 200);
		// The budget is free again: one more upload is read and judged.
		const again = await exchange(env.port, h, { body, timeout: 30000 });
		expectError(assert, again, 415, 'unsupported_media_type');
	});
});

describe('exports', () => {
	let env, coord;
	before(async () => {
		env = await setup({ users });
		coord = await env.login('coord');
		await env.sql("INSERT INTO subjects(kind, name, uscc, region_code, region_path, created_at, updated_at) " +
			'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 80000) ' +
			"SELECT 'enterprise', '导出测试企业' || x, 'EXP' || x, code, path, 0, 0 FROM n, regions WHERE code = '330282'");
	});
	after(async () => { await env?.close(); });

	const xlsx = (sess) => exchange(env.port, head('GET', '/api/v1/subjects?format=xlsx', {}, sess), { timeout: 60000 });

	test('an export of 80,000 rows is written row by row: the memory of the server stays put', async () => {
		const pid = env.child.pid;
		const warm = await xlsx(coord); // caches and pages warmed once
		assert.equal(warm.status, 200, `${warm.how} ${warm.text.slice(0, 200)}`);
		const before = memoryOf(pid);
		for (let i = 0; i < 3; i++) {
			const r = await xlsx(coord);
			assert.equal(r.status, 200, `${r.how} ${r.text.slice(0, 200)}`);
			assert.ok(Number(r.headers['content-length']) > 1 << 20, 'the whole list');
		}
		const grew = memoryOf(pid).peak - before.peak;
		// Held as JSON first, the rows took ~95 MB more at the peak.
		assert.ok(grew < 24 << 20, `peak memory grew by ${(grew / 1048576).toFixed(1)} MB over three exports`);
	});

	test('a second export by the same user while one runs → 429, then exports work again', async () => {
		const other = await env.login('coord');
		let refused = null;
		for (let attempt = 0; attempt < 5 && !refused; attempt++) {
			const first = xlsx(coord);
			await sleep(40);
			const second = await xlsx(other);
			const a = await first;
			assert.equal(a.status, 200, `first export: ${a.how} ${a.text.slice(0, 200)}`);
			assert.match(a.headers['content-type'], /spreadsheetml/);
			assert.ok(Number(a.headers['content-length']) > 1 << 20, 'the whole list');
			if (second.status === 429) refused = second;
			else assert.equal(second.status, 200, second.text.slice(0, 200));
		}
		assert.ok(refused, 'the concurrent export was refused');
		expectError(assert, refused, 429, 'export_busy');
		assert.match(refused.json.error.message, /导出正在进行/);
		const later = await xlsx(coord);
		assert.equal(later.status, 200);
		const page = await env.get('/api/v1/subjects?limit=1', coord);
		assert.ok(page.json.total >= 80000);
	});
});

describe('static files', () => {
	let env, dir;
	before(async () => {
		env = await setup({ users, serve: false });
		dir = join(env.dir, 'www');
		mkdirSync(join(dir, 'dist', 'assets'), { recursive: true });
		mkdirSync(join(dir, 'dist-old'));
		writeFileSync(join(dir, 'dist', 'index.html'), '<!doctype html><title>console</title>');
		writeFileSync(join(dir, 'dist', 'assets', 'app.js'), 'console.log(1)');
		writeFileSync(join(dir, 'dist-old', 'secret.txt'), 'OLD-SECRET');
		symlinkSync(join(dir, 'dist-old', 'secret.txt'), join(dir, 'dist', 'link.txt'));
		symlinkSync(join(dir, 'dist-old'), join(dir, 'dist', 'old'));
		env.opts.serveArgs = ['--web', join(dir, 'dist')];
		await env.start();
	});
	after(async () => { await env?.close(); });

	test('a target without a leading slash, or a symlink out of the root → 404', async () => {
		for (const target of ['-old/secret.txt', 'dist-old/secret.txt', '-old/', '-old']) {
			const r = await exchange(env.port, head('GET', target));
			assert.equal(r.status, 404, `GET ${target}: ${r.status} ${r.text}`);
			assert.ok(!r.text.includes('OLD-SECRET') && !r.text.includes('console'), `GET ${target}`);
		}
		for (const target of ['/link.txt', '/old/secret.txt']) {
			const r = await exchange(env.port, head('GET', target));
			assert.equal(r.status, 404, `GET ${target}: ${r.status}`);
			assert.ok(!r.text.includes('OLD-SECRET'), target);
		}
		const ok = await exchange(env.port, head('GET', '/assets/app.js'));
		assert.equal(ok.status, 200);
		assert.equal(ok.text, 'console.log(1)');
		assert.equal((await exchange(env.port, head('GET', '/'))).status, 200);
	});
});

const logLines = (env) => readFileSync(join(env.dir, 'access.log'), 'utf8').split('\n').filter(Boolean);

describe('client address', () => {
	const lines = logLines;
	const ipOf = async (env, xff) => {
		const r = await exchange(env.port, head('GET', '/api/v1/health', xff === undefined ? {} : { 'X-Forwarded-For': xff }));
		assert.equal(r.status, 200);
		await sleep(50);
		return lines(env).filter((l) => l.includes(' GET /api/v1/health ')).at(-1).split(' ')[1];
	};
	const login = (env, xff, username, password) => exchange(env.port, head('POST', '/api/v1/session', {
		'Content-Type': 'application/json', 'X-Forwarded-For': xff,
		'Content-Length': Buffer.byteLength(JSON.stringify({ username, password })),
	}), { body: JSON.stringify({ username, password }) });

	let proxied, direct;
	before(async () => {
		const settings = { ip_lock_threshold: 3 };
		proxied = await setup({ users, settings, serveArgs: ['--access-log', 'access.log', '--trusted-proxy', '127.0.0.1/32', '--trusted-proxy', '2001:db8::/32,10.0.0.0/8'] });
		direct = await setup({ users, settings, serveArgs: ['--access-log', 'access.log'] });
	});
	after(async () => {
		await proxied?.close();
		await direct?.close();
	});

	test('X-Forwarded-For is read only from a trusted proxy: the right-most untrusted address', async () => {
		assert.equal(await ipOf(proxied, '203.0.113.7'), '203.0.113.7');
		assert.equal(await ipOf(proxied, '6.6.6.6, 203.0.113.7'), '203.0.113.7', 'a client cannot choose its address');
		assert.equal(await ipOf(proxied, '203.0.113.9, 10.1.2.3'), '203.0.113.9', 'trusted hops are skipped');
		assert.equal(await ipOf(proxied, '2001:db8:ffff::1, 2001:db9::5'), '2001:db9::5', 'IPv6');
		assert.equal(await ipOf(proxied, '198.51.100.1, 2001:db8::5'), '198.51.100.1', 'IPv6 trusted hop');
		assert.equal(await ipOf(proxied, 'not-an-address'), '127.0.0.1', 'junk ends the walk at the proxy');
		assert.equal(await ipOf(proxied), '127.0.0.1');
		assert.equal(await ipOf(direct, '203.0.113.7'), '127.0.0.1', 'not trusted without --trusted-proxy');
	});

	test('failed logins from one client behind the proxy lock out that client, not everyone', async () => {
		for (let i = 0; i < 3; i++)
			assert.equal((await login(proxied, '203.0.113.7', 'nobody', 'Wrong-Pass1x')).status, 401);
		const other = await login(proxied, '198.51.100.9', 'coord', proxied.passwords.coord);
		assert.equal(other.status, 200, `another client behind the proxy: ${other.text}`);
		assert.notEqual((await login(proxied, '203.0.113.7', 'coord', proxied.passwords.coord)).status, 200);
		// Without a trusted proxy the header is the client's word: the peer is locked.
		for (let i = 0; i < 3; i++)
			await login(direct, '203.0.113.7', 'nobody', 'Wrong-Pass1x');
		assert.notEqual((await login(direct, '198.51.100.9', 'coord', direct.passwords.coord)).status, 200);
	});
});

describe('access log', () => {
	let env;
	before(async () => { env = await setup({ users, serveArgs: ['--access-log', 'access.log'] }); });
	after(async () => { await env?.close(); });

	test('control characters and non-printable bytes are escaped in the access log', async () => {
		const forged = '2026-01-01T00:00:00Z 203.0.113.66 GET /forged 200 0 0.1ms';
		const r = await exchange(env.port, head('GET', '/api/v1/x%0A' + encodeURIComponent(forged) + '%1B%5B31m%E6%B3%95'));
		assert.equal(r.status, 404);
		await sleep(50);
		const all = logLines(env);
		assert.ok(!all.some((l) => l.startsWith('2026-01-01T00:00:00Z')), 'no forged line');
		const line = all.find((l) => l.includes('/api/v1/x'));
		assert.ok(line.includes('/api/v1/x\\x0a2026-01-01T00:00:00Z\\x20203.0.113.66\\x20GET'), line);
		assert.ok(line.includes('\\x1b[31m\\xe6\\xb3\\x95'), line);
		assert.equal(line.split(' ').length, 7, 'seven fields');
	});
});

test('an export cut by its limit says so: a last 已截断 row and X-Truncated (setting export_max_rows)', async () => {
	const env = await setup();
	try {
		const coord = await env.login('coord');
		const REC = '/api/v1/registers/rectification/records';
		for (let i = 0; i < 12; i++) {
			const r = await env.post(REC, coord, { body: 'B330282-SCJG',
				data: { source: '法治督察', issue: `导出上限测试 ${i}`, deadline: addDays(todayCst(), 30) } });
			assert.equal(r.status, 201, r.text);
		}
		const text = (r) => Object.values(unzip(r.buf)).map((b) => b.toString('utf8')).join('\n');
		let r = await env.get(`${REC}?format=xlsx`, coord);
		assert.equal(r.status, 200);
		assert.equal(r.headers.get('x-truncated'), null, 'under the limit: whole, no mark');
		assert.doesNotMatch(text(r), /已截断/);
		assert.equal((await env.fazhi(['settings', 'set', 'export_max_rows', '10', '--db', env.uri])).code, 0);
		assert.notEqual((await env.fazhi(['settings', 'set', 'export_max_rows', '5', '--db', env.uri])).code, 0, 'below its minimum');
		await env.restart();
		r = await env.get(`${REC}?format=xlsx`, await env.login('coord'));
		assert.equal(r.status, 200);
		assert.equal(r.headers.get('x-truncated'), 'true');
		const t = text(r);
		assert.match(t, /已截断：只导出了前 10 行/);
		assert.equal((t.match(/导出上限测试/g) || []).length, 10, 'exactly the limit, then the mark');
	} finally {
		await env.close();
	}
});
