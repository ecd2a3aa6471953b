// auth.test.mjs — health, login, account and address lockout, the forced
// password change.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { BACKEND, PASSWORD, expectError, setup } from './harness.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

test('health answers ok with the backend in use', async () => {
	const r = await env.get('/api/v1/health');
	assert.equal(r.status, 200);
	assert.equal(r.json.status, 'ok');
	assert.equal(r.json.store, BACKEND);
	assert.match(r.json.version, /^\d+\.\d+/);
});

test('login with the right password: user, CSRF token and a working session', async () => {
	const r = await env.tryLogin('coord');
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.user.username, 'coord');
	assert.equal(r.json.user.role, 'coordinator');
	assert.equal(r.json.user.must_change_password, false);
	assert.match(r.json.csrf_token, /^[0-9a-f]{32,}$/);
	const cookie = r.cookies.find((c) => c.startsWith('fazhi_session='));
	assert.ok(cookie, 'session cookie set');
	const me = await env.get('/api/v1/me', { cookie: cookie.split(';')[0] });
	assert.equal(me.status, 200);
	assert.equal(me.json.user.username, 'coord');
	assert.equal(me.json.csrf_token, r.json.csrf_token);
});

test('login with a wrong password or unknown user: 401 invalid_credentials, no cookie', async () => {
	const wrong = await env.tryLogin('coord', 'Wrong-Passw0rd');
	expectError(assert, wrong, 401, 'invalid_credentials');
	assert.equal(wrong.cookies.length, 0);
	const unknown = await env.tryLogin('nobody_here', PASSWORD);
	expectError(assert, unknown, 401, 'invalid_credentials');
	// The two refusals are indistinguishable.
	assert.equal(unknown.json.error.message, wrong.json.error.message);
});

test('without a session every protected call answers 401 unauthenticated', async () => {
	for (const path of ['/api/v1/me', '/api/v1/bodies', '/api/v1/subjects', '/api/v1/audit', '/api/v1/users'])
		expectError(assert, await env.get(path), 401, 'unauthenticated');
	expectError(assert, await env.get('/api/v1/bodies', { cookie: 'fazhi_session=' + 'ab'.repeat(32) }), 401, 'unauthenticated');
});

test('account lockout: 5 wrong passwords, then even the right one answers 423 locked; audited', async () => {
	await env.addUser({ username: 'victim', role: 'evaluator' });
	const live = await env.login('victim'); // a success resets the counter
	const uid = live.user.id;
	for (let i = 1; i <= 5; i++)
		expectError(assert, await env.tryLogin('victim', `Wrong-Pass${i}x`), 401, 'invalid_credentials');
	const sixth = await env.tryLogin('victim', PASSWORD);
	expectError(assert, sixth, 423, 'locked');
	assert.equal(sixth.cookies.length, 0);
	// The session opened before the lock is over too.
	assert.equal((await env.get('/api/v1/me', live)).status, 401);

	const locks = await env.audit({ action: 'lock', entity: 'user', entity_id: String(uid) });
	assert.equal(locks.length, 1, 'one lock entry');
	assert.equal(locks[0].actor, 'victim');
	assert.equal(locks[0].result, 'ok');
	const failed = await env.audit({ action: 'login', entity_id: String(uid), result: 'failed' });
	assert.equal(failed.length, 5);
	const refused = await env.audit({ action: 'login', entity_id: String(uid), result: 'refused_locked' });
	assert.equal(refused.length, 1);
	assert.equal(refused[0].ip, '127.0.0.1');

	// Other accounts from the same address are not affected (ip threshold 1000).
	await env.login('coord');
	// The security administrator can unlock it.
	const sec = await env.login('secadmin');
	const un = await env.post(`/api/v1/users/${uid}/unlock`, sec, {});
	assert.equal(un.status, 200, un.text);
	assert.equal(un.json.locked, false);
	await env.login('victim');
});

test('forced password change: 403 password_change_required until changed; weak password 422', async () => {
	const initial = await env.addUser({ username: 'newbie', role: 'coordinator', password: null });
	assert.equal(initial.length, 16);
	const s = await env.login('newbie', initial);
	assert.equal(s.user.must_change_password, true);

	expectError(assert, await env.get('/api/v1/bodies', s), 403, 'password_change_required');
	expectError(assert, await env.get('/api/v1/subjects', s), 403, 'password_change_required');
	// /me is allowed (the console needs it to show the form).
	assert.equal((await env.get('/api/v1/me', s)).status, 200);

	const weak = await env.post('/api/v1/me/password', s, { old_password: initial, new_password: 'abcdefgh' });
	expectError(assert, weak, 422, 'invalid', 'new_password');
	const withName = await env.post('/api/v1/me/password', s, { old_password: initial, new_password: 'X9!newbie-pw' });
	expectError(assert, withName, 422, 'invalid', 'new_password');
	const badOld = await env.post('/api/v1/me/password', s, { old_password: 'Not-The-0ld', new_password: 'Fresh-Pass-42' });
	expectError(assert, badOld, 422, 'invalid', 'old_password');
	expectError(assert, await env.get('/api/v1/bodies', s), 403, 'password_change_required');

	const ok = await env.post('/api/v1/me/password', s, { old_password: initial, new_password: 'Fresh-Pass-42' });
	assert.equal(ok.status, 204, ok.text);
	const bodies = await env.get('/api/v1/bodies', s);
	assert.equal(bodies.status, 200, bodies.text);
	assert.ok(bodies.json.total > 0);
	assert.equal((await env.get('/api/v1/me', s)).json.user.must_change_password, false);

	// The old password is gone, the new one works.
	expectError(assert, await env.tryLogin('newbie', initial), 401, 'invalid_credentials');
	const again = await env.login('newbie', 'Fresh-Pass-42');
	assert.equal(again.user.must_change_password, false);
	const audit = await env.audit({ action: 'password_change', result: 'ok' });
	assert.ok(audit.some((e) => e.actor === 'newbie'));
});

test('address lockout: repeated failures from one address lock it for every account', async () => {
	const own = await setup({ fixture: false, users: [{ username: 'alice', role: 'evaluator' }, { username: 'auditor', role: 'auditor' }],
		settings: { ip_lock_threshold: 3 } });
	try {
		await own.login('alice'); // works before
		for (let i = 0; i < 3; i++)
			expectError(assert, await own.tryLogin(`ghost${i}`, 'Wrong-Pass1x'), 401, 'invalid_credentials');
		// The address is locked now: even a right password of an unlocked account is refused.
		expectError(assert, await own.tryLogin('alice'), 423, 'locked');
		expectError(assert, await own.tryLogin('auditor'), 423, 'locked');
		// alice's own account was never locked.
		assert.equal(await own.sql("SELECT locked_until FROM users WHERE username = 'alice'"), '0');
		const until = Number(await own.sql("SELECT locked_until FROM login_failures WHERE ip = '127.0.0.1'"));
		assert.ok(until > Date.now() / 1000, 'address locked into the future');
		// Audited: the refusals name the locked address.
		const rows = await own.sql("SELECT actor, result FROM audit_log WHERE action = 'login' AND result = 'refused_address_locked' ORDER BY id");
		assert.deepEqual(rows.split('\n'), ['alice|refused_address_locked', 'auditor|refused_address_locked']);
		// Lifting the lock (as an operator would, in the store) lets the account in again.
		await own.sql("DELETE FROM login_failures");
		await own.login('alice');
	} finally {
		await own.close();
	}
});

test('after an account lock runs out, the failure count starts afresh', async () => {
	await env.addUser({ username: 'expiring', role: 'evaluator' });
	for (let i = 1; i <= 5; i++) await env.tryLogin('expiring', `Wrong-Pass${i}x`);
	expectError(assert, await env.tryLogin('expiring'), 423, 'locked');
	// Let the lock run out (lock_minutes is 15).
	await env.sql("UPDATE users SET locked_until = locked_until - 3600 WHERE username = 'expiring'");
	// One more mistake is not a lock …
	expectError(assert, await env.tryLogin('expiring', 'Wrong-Pass9x'), 401, 'invalid_credentials');
	await env.login('expiring');
	// … and the full count locks again.
	for (let i = 1; i <= 5; i++) await env.tryLogin('expiring', `Wrong-Pass${i}x`);
	expectError(assert, await env.tryLogin('expiring'), 423, 'locked');
});

test('changing the password ends the user\'s other sessions and keeps this one', async () => {
	await env.addUser({ username: 'twodevices', role: 'evaluator' });
	const here = await env.login('twodevices');
	const there = await env.login('twodevices');
	const r = await env.post('/api/v1/me/password', here, { old_password: PASSWORD, new_password: 'Brand-New-Pw-5' });
	assert.equal(r.status, 204, r.text);
	assert.equal((await env.get('/api/v1/me', here)).status, 200, 'the session that changed it goes on');
	expectError(assert, await env.get('/api/v1/me', there), 401, 'unauthenticated');
	// Another user's sessions are not touched.
	const other = await env.login('coord');
	const s2 = await env.login('twodevices', 'Brand-New-Pw-5');
	await env.post('/api/v1/me/password', s2, { old_password: 'Brand-New-Pw-5', new_password: 'Brand-New-Pw-6' });
	assert.equal((await env.get('/api/v1/me', other)).status, 200);
});

test('a password older than pw_max_age_days must be changed at login', async () => {
	await env.addUser({ username: 'oldpw', role: 'evaluator' });
	await env.sql("UPDATE users SET pw_changed_at = pw_changed_at - 91 * 86400 WHERE username = 'oldpw'");
	const s = await env.login('oldpw');
	assert.equal(s.user.must_change_password, true);
	expectError(assert, await env.get('/api/v1/subjects', s), 403, 'password_change_required');
	assert.equal((await env.post('/api/v1/me/password', s, { old_password: PASSWORD, new_password: 'Renewed-Pw-2025' })).status, 204);
	assert.equal((await env.get('/api/v1/subjects', s)).status, 200);
});
