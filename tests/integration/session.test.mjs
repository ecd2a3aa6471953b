// session.test.mjs — server-side sessions (logout, idle expiry, locked
// accounts), the session cookie's attributes and CSRF protection.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { expectError, setup } from './harness.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

test('the session cookie is HttpOnly, SameSite=Strict, Path=/, without Max-Age or Expires, not in the body', async () => {
	const r = await env.tryLogin('coord');
	assert.equal(r.status, 200);
	const c = r.cookies.find((x) => x.startsWith('fazhi_session='));
	assert.ok(c, 'fazhi_session cookie');
	const attrs = c.split(';').map((s) => s.trim().toLowerCase());
	assert.ok(attrs.includes('httponly'), c);
	assert.ok(attrs.includes('samesite=strict'), c);
	assert.ok(attrs.includes('path=/'), c);
	assert.ok(!attrs.includes('secure'), 'no Secure flag without --behind-tls');
	// A session cookie: it dies with the browser (the server's expiry still applies).
	assert.ok(!attrs.some((a) => a.startsWith('max-age') || a.startsWith('expires')), c);
	const token = c.split(';')[0].slice('fazhi_session='.length);
	assert.match(token, /^[0-9a-f]{64}$/);
	assert.ok(!r.text.includes(token), 'the token is not in the JSON body');
	// The store keeps a digest, never the token itself.
	assert.equal(await env.sql(`SELECT COUNT(*) FROM sessions WHERE token_digest = '${token}'`), '0');
});

test('logout ends the session on the server: the old cookie answers 401', async () => {
	const s = await env.login('coord');
	assert.equal((await env.get('/api/v1/me', s)).status, 200);
	const out = await env.req('DELETE', '/api/v1/session', { sess: s });
	assert.equal(out.status, 204, out.text);
	const cleared = out.cookies.find((x) => x.startsWith('fazhi_session='));
	assert.match(cleared, /Max-Age=0/i, 'cookie cleared in the browser');
	// Replaying the old cookie (a client that ignored the clearing) fails.
	expectError(assert, await env.get('/api/v1/me', s), 401, 'unauthenticated');
	expectError(assert, await env.get('/api/v1/bodies', s), 401, 'unauthenticated');
	const logouts = await env.audit({ action: 'logout', entity_id: String(s.user.id) });
	assert.ok(logouts.length >= 1);
});

test('logout needs the CSRF token', async () => {
	const s = await env.login('coord');
	expectError(assert, await env.req('DELETE', '/api/v1/session', { sess: s, csrf: false }), 403, 'csrf_failed');
	assert.equal((await env.get('/api/v1/me', s)).status, 200, 'still logged in');
});

test('a session idle beyond the timeout answers 401 session_expired and is gone', async () => {
	const s = await env.login('coord_a');
	const other = await env.login('coord_b');
	assert.equal((await env.get('/api/v1/bodies', s)).status, 200);
	// idle_minutes is 30: push this user's sessions one hour into the past.
	await env.sql(`UPDATE sessions SET last_seen = last_seen - 3600 WHERE user_id = ${s.user.id}`);
	expectError(assert, await env.get('/api/v1/bodies', s), 401, 'session_expired');
	// The expired session was deleted: the next try is plainly unauthenticated.
	expectError(assert, await env.get('/api/v1/bodies', s), 401, 'unauthenticated');
	assert.equal(await env.sql(`SELECT COUNT(*) FROM sessions WHERE user_id = ${s.user.id}`), '0');
	// Someone else's session is untouched.
	assert.equal((await env.get('/api/v1/bodies', other)).status, 200);
	// Logging in again works.
	assert.equal((await env.get('/api/v1/bodies', await env.login('coord_a'))).status, 200);
});

test('a session older than the absolute lifetime expires even when active', async () => {
	const s = await env.login('evaluator');
	// session_max_minutes is 720.
	await env.sql(`UPDATE sessions SET created_at = created_at - 721 * 60 WHERE user_id = ${s.user.id}`);
	expectError(assert, await env.get('/api/v1/me', s), 401, 'session_expired');
});

test('locking an account (fazhi user lock) ends its sessions; unlock lets it log in again', async () => {
	await env.addUser({ username: 'to_lock', role: 'evaluator' });
	const s = await env.login('to_lock');
	assert.equal((await env.get('/api/v1/subjects', s)).status, 200);
	const r = await env.fazhi(['user', 'lock', '--db', env.uri, '--username', 'to_lock']);
	assert.equal(r.code, 0, r.stderr);
	const after = await env.get('/api/v1/subjects', s);
	assert.equal(after.status, 401, after.text);
	assert.ok(['unauthenticated', 'session_expired'].includes(after.json.error.code), after.text);
	// A locked account answers like a wrong password (nothing tells it is locked).
	expectError(assert, await env.tryLogin('to_lock'), 401, 'invalid_credentials');
	const locks = await env.audit({ action: 'lock', entity_id: String(s.user.id) });
	assert.equal(locks.length, 1);
	assert.equal(locks[0].actor, 'cli');

	assert.equal((await env.fazhi(['user', 'unlock', '--db', env.uri, '--username', 'to_lock'])).code, 0);
	await env.login('to_lock');
});

test('disabling an account ends its sessions', async () => {
	await env.addUser({ username: 'to_disable', role: 'evaluator' });
	const s = await env.login('to_disable');
	const sec = await env.login('secadmin');
	const r = await env.patch(`/api/v1/users/${s.user.id}`, sec, { disabled: true });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.disabled, true);
	assert.equal((await env.get('/api/v1/me', s)).status, 401);
	expectError(assert, await env.tryLogin('to_disable'), 403, 'account_disabled');
});

test('CSRF: a state-changing call without X-CSRF-Token answers 403 csrf_failed', async () => {
	const s = await env.login('coord');
	const body = { kind: 'enterprise', name: '无令牌公司', uscc: '91330282MA2D5RY93G', region: '330282' };
	expectError(assert, await env.post('/api/v1/subjects', s, body, { csrf: false }), 403, 'csrf_failed');
	const patch = await env.patch('/api/v1/bodies/1', s, { name: '改名' }, { csrf: false });
	expectError(assert, patch, 403, 'csrf_failed');
	// Nothing was written.
	const list = await env.get('/api/v1/subjects?q=' + encodeURIComponent('无令牌公司'), s);
	assert.equal(list.json.total, 0);
	assert.notEqual((await env.get('/api/v1/bodies/1', s)).json.name, '改名');
});

test('CSRF: a wrong token (or another session\'s token) answers 403 and is audited', async () => {
	const s = await env.login('coord');
	const other = await env.login('coord_a');
	const body = { kind: 'enterprise', name: '错误令牌公司', uscc: '91330282MA2D5RY93G', region: '330282' };
	expectError(assert, await env.post('/api/v1/subjects', s, body, { csrf: 'f'.repeat(64) }), 403, 'csrf_failed');
	expectError(assert, await env.post('/api/v1/subjects', s, body, { csrf: other.csrf }), 403, 'csrf_failed');
	expectError(assert, await env.post('/api/v1/subjects', s, body, { csrf: s.csrf.slice(0, -1) }), 403, 'csrf_failed');
	const refused = await env.audit({ action: 'access', result: 'refused', actor: 'coord' });
	assert.ok(refused.some((e) => JSON.parse(e.detail).code === 'csrf_failed'), JSON.stringify(refused));
	// The right token works.
	const ok = await env.post('/api/v1/subjects', s, body);
	assert.equal(ok.status, 201, ok.text);
});

test('reads do not need the CSRF token', async () => {
	const s = await env.login('coord');
	assert.equal((await env.get('/api/v1/bodies', s, { csrf: false })).status, 200);
});

test('behind a TLS proxy (--behind-tls) the cookie is __Host-, Secure, and HSTS is sent', async () => {
	const tls = await setup({ fixture: false, users: [{ username: 'alice', role: 'evaluator' }], serveArgs: ['--behind-tls'] });
	try {
		const r = await tls.tryLogin('alice');
		assert.equal(r.status, 200, r.text);
		const c = r.cookies.find((x) => x.startsWith('__Host-fazhi_session='));
		assert.ok(c, `a __Host- cookie: ${r.cookies}`);
		const attrs = c.split(';').map((x) => x.trim().toLowerCase());
		assert.ok(attrs.includes('secure') && attrs.includes('path=/'), c);
		assert.ok(!attrs.some((a) => a.startsWith('domain')), c);
		// The server reads it back under that name, and no other.
		const sess = { cookie: c.split(';')[0], csrf: r.json.csrf_token };
		assert.equal((await tls.get('/api/v1/me', sess)).status, 200);
		const plain = { cookie: c.split(';')[0].replace('__Host-', ''), csrf: r.json.csrf_token };
		assert.equal((await tls.get('/api/v1/me', plain)).status, 401);
		assert.ok(attrs.includes('httponly') && attrs.includes('samesite=strict'), c);
		assert.ok(!attrs.some((a) => a.startsWith('max-age') || a.startsWith('expires')), c);
		assert.match(r.headers.get('strict-transport-security') || '', /max-age=\d+/);
		assert.match((await tls.get('/')).headers.get('strict-transport-security') || '', /max-age=\d+/);
	} finally {
		await tls.close();
	}
});

test('the role label follows the level of the user\'s region: 依法治市办 / 依法治县（区）办', async () => {
	await env.addUser({ username: 'coord_city', role: 'coordinator', scope: '330200' });
	await env.addUser({ username: 'coord_county', role: 'coordinator', scope: '330282' });
	await env.addUser({ username: 'dept_county', role: 'department', scope: '330282' });
	const me = async (u) => (await env.get('/api/v1/me', await env.login(u))).json.user;
	assert.equal((await me('coord_city')).role_name, '依法治市办协调员');
	const county = await me('coord_county');
	assert.equal(county.role_name, '依法治县（区）办协调员');
	assert.equal(county.scope_region_name, '慈溪市');
	assert.equal((await me('dept_county')).role_name, '责任单位人员', 'other roles keep one label');
});

test('GET /meta gives the console the role matrix and the value lists, one source', async () => {
	const m = (await env.get('/api/v1/meta', await env.login('coord'))).json;
	const roles = Object.fromEntries(m.roles.map((r) => [r.name, r]));
	assert.ok(roles.coordinator.permissions.includes('eval.run'));
	assert.ok(!roles.evaluator.permissions.includes('record.write'));
	assert.deepEqual(roles.auditor.permissions, ['audit.read']);
	for (const admin of ['sysadmin', 'secadmin', 'auditor']) assert.equal(roles[admin].admin, true);
	const names = new Set(m.permissions.map((p) => p.name));
	for (const r of m.roles) for (const p of r.permissions) assert.ok(names.has(p), `${r.name}: ${p}`);
	assert.equal(m.cert_statuses.suspended, '暂扣');
	assert.deepEqual(Object.keys(m.body_kinds), ['government', 'department', 'township', 'enforcement']);
	// the value lists drive validation: a kind /meta does not list is refused
	const bad = await env.post('/api/v1/bodies', await env.login('sysadmin'), { code: 'VX1', name: '甲', kind: 'club', region: '330282' });
	assert.equal(bad.status, 422);
	assert.match(bad.json.error.message, /government/);
});

test('GET /me states the password rules in force (the change-password page shows them)', async () => {
	const settings = (await env.fazhi(['settings', '--db', env.uri])).stdout;
	const value = (k) => Number(new RegExp(`^${k}\\s+(\\d+)`, 'm').exec(settings)[1]);
	const me = (await env.get('/api/v1/me', await env.login('coord'))).json.user;
	assert.deepEqual(me.password_policy, { min_len: value('pw_min_len'), history: value('pw_history') });
});
