// input.test.mjs — what the server refuses before any handler runs (bad
// JSON, bad UTF-8, oversize bodies, wrong content types, unknown routes and
// methods) and the security headers on every answer.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { REPO, expectError, freshUscc, setup } from './harness.mjs';

let env, coord;
before(async () => {
	env = await setup({ users: [{ username: 'coord', role: 'coordinator' }, { username: 'auditor', role: 'auditor' }] });
	coord = await env.login('coord');
});
after(async () => { await env?.close(); });

const subject = () => ({ kind: 'enterprise', name: '输入测试公司', uscc: freshUscc(), region: '330282' });

describe('request bodies', () => {
	test('malformed JSON → 400 bad_json', async () => {
		for (const raw of ['{"name":', '{name: 1}', "{'a':1}", '{"a":1}}', 'nul', '{"a":1,"a":2}'])
			expectError(assert, await env.post('/api/v1/subjects', coord, raw), 400, 'bad_json');
		// Valid JSON that is not an object.
		for (const raw of ['[1,2]', '"text"', '42', 'null'])
			expectError(assert, await env.post('/api/v1/subjects', coord, raw), 400, 'bad_json');
		// The login too, before any session exists.
		expectError(assert, await env.req('POST', '/api/v1/session', { body: '{"username":"coord",' }), 400, 'bad_json');
		// An empty body where an object is needed.
		expectError(assert, await env.post('/api/v1/subjects', coord, ''), 400, 'bad_json');
	});

	test('non-UTF-8 bodies → 400 bad_utf8', async () => {
		const bad = [
			Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), // {"name":"\xff"}
			Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]), // overlong '/'
			Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]), // a surrogate
			Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xd6, 0xd0, 0xb9, 0xfa]), Buffer.from('"}')]), // GBK 中国
			Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xe4, 0xb8]), Buffer.from('"}')]), // truncated 中
		];
		for (const b of bad)
			expectError(assert, await env.post('/api/v1/subjects', coord, b), 400, 'bad_utf8');
		expectError(assert, await env.req('POST', '/api/v1/session', { body: bad[0] }), 400, 'bad_utf8');
	});

	test('an escaped NUL (400 bad_json) or control character (422) in a string', async () => {
		expectError(assert, await env.post('/api/v1/subjects', coord, '{"kind":"enterprise","name":"a\\u0000b","uscc":"' + freshUscc() + '","region":"330282"}'), 400, 'bad_json');
		expectError(assert, await env.post('/api/v1/subjects', coord, { ...subject(), name: 'tab\there' }), 422, 'invalid', 'name');
	});

	test('a body over 1 MiB (64 KB without a session) → 413 too_large', async () => {
		const big = JSON.stringify({ ...subject(), name: 'x'.repeat((1 << 20) + 10) });
		expectError(assert, await env.post('/api/v1/subjects', coord, big), 413, 'too_large');
		expectError(assert, await env.req('POST', '/api/v1/session', { body: big }), 413, 'too_large');
		// Without a session (the login) the limit is 64 KB.
		const login = JSON.stringify({ username: 'coord', password: 'x'.repeat(65 << 10) });
		const r = await env.req('POST', '/api/v1/session', { body: login });
		expectError(assert, r, 413, 'too_large');
		assert.match(r.json.error.message, /64 KB/);
		// Just under the limit passes the size check (and fails on the field's own rule).
		const under = JSON.stringify({ ...subject(), name: 'y'.repeat((1 << 20) - 200) });
		assert.ok(Buffer.byteLength(under) < 1 << 20);
		expectError(assert, await env.post('/api/v1/subjects', coord, under), 422, 'invalid', 'name');
		// The server is still fine.
		assert.equal((await env.get('/api/v1/health')).status, 200);
	});

	test('a body that is not application/json → 415 unsupported_media_type', async () => {
		const json = JSON.stringify(subject());
		for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp'])
			expectError(assert, await env.post('/api/v1/subjects', coord, json, { contentType: ct }), 415, 'unsupported_media_type');
		expectError(assert, await env.req('POST', '/api/v1/session', { body: '{"username":"coord","password":"x"}', contentType: 'text/plain' }), 415, 'unsupported_media_type');
		// Media types are case-insensitive; with a charset parameter it is JSON.
		const upper = await env.post('/api/v1/subjects', coord, JSON.stringify(subject()), { contentType: 'Application/JSON' });
		assert.equal(upper.status, 201, upper.text);
		const ok = await env.post('/api/v1/subjects', coord, json, { contentType: 'application/json; charset=utf-8' });
		assert.equal(ok.status, 201, ok.text);
	});
});

describe('query strings', () => {
	test('non-UTF-8 query → 400 bad_utf8', async () => {
		expectError(assert, await env.get('/api/v1/subjects?q=%FF', coord), 400, 'bad_utf8');
		expectError(assert, await env.get('/api/v1/subjects?q=%C0%AF', coord), 400, 'bad_utf8');
		expectError(assert, await env.get('/api/v1/subjects?%FF=1', coord), 400, 'bad_utf8');
		expectError(assert, await env.get('/api/v1/health?x=%ED%A0%80'), 400, 'bad_utf8');
		// Valid percent-encoded UTF-8 is fine.
		const r = await env.get('/api/v1/subjects?q=' + encodeURIComponent('兴华'), coord);
		assert.equal(r.status, 200);
		assert.equal(r.json.total, 1);
	});

	test('SQL in a keyword is just text', async () => {
		const r = await env.get('/api/v1/subjects?q=' + encodeURIComponent("' OR '1'='1"), coord);
		assert.equal(r.status, 200);
		assert.equal(r.json.total, 0);
		const r2 = await env.get('/api/v1/subjects?region=' + encodeURIComponent("330282' OR 1=1 --"), coord);
		assert.equal(r2.status, 200);
		assert.equal(r2.json.total, 0);
	});
});

describe('routing', () => {
	test('unknown routes → 404 not_found (JSON)', async () => {
		for (const p of ['/api/v1/nothing', '/api/v2/subjects', '/api/v1/subjects/1/extra', '/api/v1/', '/api/v1/subjects/'])
			expectError(assert, await env.get(p, coord), 404, 'not_found');
		expectError(assert, await env.get('/api/v1/nothing'), 404, 'not_found');
	});

	test('a known route with the wrong method → 405', async () => {
		for (const [m, p] of [['PUT', '/api/v1/subjects'], ['DELETE', '/api/v1/bodies/1'], ['POST', '/api/v1/health'], ['PATCH', '/api/v1/session'], ['GET', '/api/v1/me/password']]) {
			const r = await env.req(m, p, { sess: coord });
			assert.equal(r.status, 405, `${m} ${p}: ${r.status} ${r.text}`);
			assert.equal(r.json.error.code, 'method_not_allowed');
		}
	});
});

/** Asserts the security headers on one answer. */
function secure(r, what) {
	assert.equal(r.headers.get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
	const csp = r.headers.get('content-security-policy') || '';
	assert.match(csp, /object-src 'none'/, `${what}: CSP object-src`);
	assert.match(csp, /base-uri 'none'/, `${what}: CSP base-uri`);
	assert.match(csp, /frame-ancestors '?[a-z]+'?/, `${what}: CSP frame-ancestors`);
	assert.match(csp, /default-src 'self'/, `${what}: CSP default-src`);
	assert.doesNotMatch(csp, /unsafe-eval/, `${what}: no unsafe-eval`);
	assert.match(csp, /script-src 'self'(;|$)/, `${what}: scripts from the origin only`);
	assert.equal(r.headers.get('x-frame-options'), 'DENY', `${what}: X-Frame-Options`);
	assert.equal(r.headers.get('referrer-policy'), 'no-referrer', `${what}: Referrer-Policy`);
	assert.equal(r.headers.get('strict-transport-security'), null, `${what}: no HSTS without --behind-tls`);
}

describe('headers', () => {
	test('every API answer carries nosniff and the CSP', async () => {
		const answers = {
			health: await env.get('/api/v1/health'),
			login: await env.tryLogin('coord'),
			badLogin: await env.tryLogin('coord', 'Wrong-Pass1x'),
			list: await env.get('/api/v1/subjects', coord),
			detail: await env.get('/api/v1/subjects/1', coord),
			created: await env.post('/api/v1/subjects', coord, subject()),
			unauth: await env.get('/api/v1/subjects'),
			forbidden: await env.get('/api/v1/audit', coord),
			csrf: await env.post('/api/v1/subjects', coord, subject(), { csrf: false }),
			notFound: await env.get('/api/v1/nothing'),
			method: await env.req('PUT', '/api/v1/subjects'),
			badJson: await env.post('/api/v1/subjects', coord, '{'),
			badUtf8: await env.get('/api/v1/subjects?q=%FF', coord),
			media: await env.post('/api/v1/subjects', coord, 'x', { contentType: 'text/plain' }),
			tooLarge: await env.post('/api/v1/subjects', coord, 'x'.repeat((1 << 20) + 1)),
			xlsx: await env.get('/api/v1/subjects?format=xlsx', coord),
		};
		const s = await env.login('coord');
		answers.logout = await env.req('DELETE', '/api/v1/session', { sess: s });
		for (const [what, r] of Object.entries(answers)) {
			secure(r, what);
			if (r.status !== 204 && what !== 'xlsx')
				assert.match(r.headers.get('content-type') || '', /^application\/json; charset=utf-8$/, `${what}: JSON`);
		}
		assert.equal(answers.logout.status, 204);
		assert.equal(answers.tooLarge.status, 413);
		// Data answers are not cached.
		for (const what of ['list', 'detail', 'login', 'xlsx'])
			assert.equal(answers[what].headers.get('cache-control'), 'no-store', `${what}: no-store`);
	});

	test('every static answer carries nosniff and the CSP', async () => {
		const hasConsole = existsSync(join(REPO, 'web', 'dist', 'index.html'));
		const root = await env.get('/');
		secure(root, 'GET /');
		if (hasConsole) {
			assert.equal(root.status, 200);
			assert.match(root.headers.get('content-type'), /^text\/html/);
			const asset = /(?:src|href)="(\/assets\/[^"]+)"/.exec(root.text);
			if (asset) {
				const a = await env.get(asset[1]);
				assert.equal(a.status, 200);
				secure(a, asset[1]);
			}
			const spa = await env.get('/subjects/list');
			assert.equal(spa.status, 200, 'console routes fall back to index.html');
			secure(spa, 'SPA fallback');
		}
		const missing = await env.get('/no-such-file.png');
		assert.equal(missing.status, 404);
		secure(missing, 'static 404');
		const traversal = await env.get('/..%2f..%2fetc/passwd');
		assert.ok(!traversal.text.includes('root:'), 'no path traversal');
		secure(traversal, 'traversal');
		for (const p of ['/../../../../etc/passwd', '/assets/../../../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd']) {
			const r = await env.raw('GET', p);
			assert.ok(!r.text.includes('root:'), `no path traversal via ${p}`);
			assert.equal(r.headers['x-content-type-options'], 'nosniff', p);
		}
		const post = await env.req('POST', '/index.html', { body: '{}' });
		assert.equal(post.status, 405);
		secure(post, 'static POST');
	});
});

test('every JSON body route refuses a field it does not declare (route.fields, before the handler)', async () => {
	const routes = JSON.parse((await env.fazhi(['routes', '--json'])).stdout);
	const body = routes.filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method) && Array.isArray(r.fields) &&
		(r.roles.includes('coordinator') || r.flags.includes('public')));
	assert.ok(body.length >= 15, `${body.length} routes`);
	for (const r of body) {
		const path = r.path.replace('{reg}', 'rectification').replace(/\{[a-z_]+\}/g, '1');
		const res = await env.req(r.method, path, { sess: r.flags.includes('public') ? undefined : coord, body: { __bogus: 1 } });
		expectError(assert, res, 400, 'unknown_field', '__bogus');
	}
});
