// auth.test.mjs — health, login, account and address lockout, the forced
// password change.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { ADMIN_PASSWORD, BACKEND, PASSWORD, expectError, freePort, setup } from './harness.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.close(); });

test('health answers ok with the backend in use', async () => {
	const r = await env.get('/api/v1/health');
	assert.equal(r.status, 200);
	assert.equal(r.json.status, 'ok');
	assert.equal(r.json.store, BACKEND);
	assert.match(r.json.version, /^\d+\.\d+/);
	assert.equal(r.json.demo_data, false, 'not a demo store');
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

test('account lockout: 5 wrong passwords, then even the right one is refused like a wrong one; audited', async () => {
	await env.addUser({ username: 'victim', role: 'evaluator' });
	const live = await env.login('victim');
	const uid = live.user.id;
	for (let i = 1; i <= 5; i++)
		expectError(assert, await env.tryLogin('victim', `Wrong-Pass${i}x`), 401, 'invalid_credentials');
	const sixth = await env.tryLogin('victim', PASSWORD);
	expectError(assert, sixth, 401, 'invalid_credentials');
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
	expectError(assert, await env.tryLogin('expiring'), 401, 'invalid_credentials');
	// Let the lock run out (lock_minutes is 15).
	await env.sql("UPDATE users SET locked_until = locked_until - 3600 WHERE username = 'expiring'");
	// One more mistake is not a lock (the lock consumed the failures it counted) …
	expectError(assert, await env.tryLogin('expiring', 'Wrong-Pass9x'), 401, 'invalid_credentials');
	await env.login('expiring');
	// … and the full count locks again (the success in between does not clear it).
	for (let i = 1; i <= 4; i++) await env.tryLogin('expiring', `Wrong-Pass${i}x`);
	expectError(assert, await env.tryLogin('expiring'), 401, 'invalid_credentials');
	const uid = await env.sql("SELECT id FROM users WHERE username = 'expiring'");
	assert.equal((await env.audit({ action: 'login', entity_id: uid, result: 'refused_locked' })).length, 2);
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

// ---- login hardening: sliding windows, the global rate, one answer, history, weak passwords ----

test('a success does not clear the failure window, per account and per address', async () => {
	const own = await setup({ fixture: false, users: [{ username: 'alice', role: 'evaluator' }, { username: 'bob', role: 'evaluator' }],
		settings: { ip_lock_threshold: 6 } });
	try {
		// The account: 4 failures, a success, 1 failure → the fifth in the window locks it.
		for (let i = 0; i < 4; i++) await own.tryLogin('alice', `Wrong-Pass${i}x`);
		await own.login('alice');
		expectError(assert, await own.tryLogin('alice', 'Wrong-Pass9x'), 401, 'invalid_credentials');
		expectError(assert, await own.tryLogin('alice'), 401, 'invalid_credentials');
		assert.ok(Number(await own.sql("SELECT locked_until FROM users WHERE username = 'alice'")) > Date.now() / 1000);
		// The address: 5 failures so far (the refused attempt on the locked account is the 6th) → locked,
		// even though bob logs in fine in between.
		expectError(assert, await own.tryLogin('bob'), 423, 'locked');
	} finally {
		await own.close();
	}
});

test('a locked account, an unknown name and a wrong password get one answer, in similar time', async () => {
	await env.addUser({ username: 'lockme', role: 'evaluator' });
	await env.addUser({ username: 'wrongpw', role: 'evaluator' });
	for (let i = 1; i <= 5; i++) await env.tryLogin('lockme', `Wrong-Pass${i}x`);
	const timed = async (name, pw) => {
		const t0 = performance.now();
		const r = await env.tryLogin(name, pw);
		return { r, ms: performance.now() - t0 };
	};
	const runs = { locked: [], unknown: [], wrong: [] };
	for (let i = 0; i < 3; i++) {
		runs.locked.push(await timed('lockme', PASSWORD));
		runs.unknown.push(await timed(`nobody_${i}`, PASSWORD));
		runs.wrong.push(await timed('wrongpw', `Wrong-Pass${i}y`));
	}
	const [l, u, w] = [runs.locked[0].r, runs.unknown[0].r, runs.wrong[0].r];
	for (const r of [l, u, w]) expectError(assert, r, 401, 'invalid_credentials');
	assert.equal(l.json.error.message, u.json.error.message);
	assert.equal(w.json.error.message, u.json.error.message);
	assert.equal(l.text, u.text);
	// Each runs the password KDF: the locked answer is not the fast one it used to be.
	const median = (xs) => xs.map((x) => x.ms).sort((a, b) => a - b)[1];
	assert.ok(median(runs.locked) > median(runs.unknown) * 0.4, JSON.stringify({ locked: median(runs.locked), unknown: median(runs.unknown) }));
	// The audit log still tells them apart.
	const uid = await env.sql("SELECT id FROM users WHERE username = 'lockme'");
	assert.equal((await env.audit({ action: 'login', entity_id: uid, result: 'refused_locked' })).length, 3);
});

test('the global login rate answers 429 rate_limited, audited', async () => {
	const own = await setup({ fixture: false, users: [{ username: 'alice', role: 'evaluator' }], settings: { login_rate_per_minute: 4 } });
	try {
		await own.login('alice');
		await own.tryLogin('alice', 'Wrong-Pass1x');
		await own.tryLogin('ghost', 'Wrong-Pass1x');
		await own.login('alice');
		const r = await own.tryLogin('alice');
		expectError(assert, r, 429, 'rate_limited');
		assert.equal(r.cookies.length, 0);
		assert.match(await own.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'login' AND result = 'refused_rate_limited'"), /^[1-9]/);
	} finally {
		await own.close();
	}
});

test('an administrator is not locked by others\' failures: attempts spaced by a growing interval instead', async () => {
	const own = await setup({ fixture: false, users: [{ username: 'sysadmin', role: 'sysadmin' }],
		settings: { lock_threshold: 3, admin_delay_seconds: 3, admin_delay_max_seconds: 6 } });
	try {
		for (let i = 0; i < 3; i++)
			expectError(assert, await own.tryLogin('sysadmin', `Wrong-Pass${i}x`, { totp: null }), 401, 'invalid_credentials');
		// Past the threshold the next attempt comes 3 s after the last failure: earlier, 429 at once, password unchecked.
		const early = await own.tryLogin('sysadmin', ADMIN_PASSWORD, { totp: null });
		expectError(assert, early, 429, 'rate_limited');
		assert.match(early.json.error.message, /请 [1-3] 秒后再试/);
		assert.equal(early.cookies.length, 0);
		assert.equal(await own.sql("SELECT locked_until FROM users WHERE username = 'sysadmin'"), '0');
		await new Promise((r) => setTimeout(r, 3100));
		const s = await own.login('sysadmin', ADMIN_PASSWORD);
		assert.equal(s.user.role, 'sysadmin');
		// One more failure: the interval grows to its cap.
		expectError(assert, await own.tryLogin('sysadmin', 'Wrong-Pass9x', { totp: null }), 401, 'invalid_credentials');
		const again = await own.tryLogin('sysadmin', ADMIN_PASSWORD, { totp: null });
		assert.equal(again.status, 429, JSON.stringify(again.json));
		assert.match(again.json.error.message, /请 [4-6] 秒后再试/); // 6 s from the last failure
		assert.match(await own.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'login' AND result = 'refused_throttled'"), /^2$/);
	} finally {
		await own.close();
	}
});

test('password history: none of the last 5 passwords may be used again (Chinese reason)', async () => {
	await env.addUser({ username: 'historian', role: 'evaluator' });
	const s = await env.login('historian');
	const seq = [PASSWORD, 'Hist-Pw-Kq7#1', 'Hist-Pw-Kq7#2', 'Hist-Pw-Kq7#3'];
	for (let i = 1; i < seq.length; i++)
		assert.equal((await env.post('/api/v1/me/password', s, { old_password: seq[i - 1], new_password: seq[i] })).status, 204);
	for (const old of [seq[0], seq[1]]) {
		const r = await env.post('/api/v1/me/password', s, { old_password: seq[3], new_password: old });
		expectError(assert, r, 422, 'invalid', 'new_password');
		assert.match(r.json.error.message, /最近 5 次/);
	}
	assert.equal((await env.post('/api/v1/me/password', s, { old_password: seq[3], new_password: 'Hist-Pw-Kq7#4' })).status, 204);
});

test('weak passwords that fit the class rule are refused with the reason', async () => {
	await env.addUser({ username: 'weakling', role: 'evaluator' });
	const s = await env.login('weakling');
	for (const [pw, why] of [['aaaaaaaA1', /相同字符/], ['Abcd#2468x', /连续/], ['Zx9!87654m', /连续/], ['Qwer#9x7Mm', /连续/],
		['Weakling#91', /用户名/]]) {
		const r = await env.post('/api/v1/me/password', s, { old_password: PASSWORD, new_password: pw });
		expectError(assert, r, 422, 'invalid', 'new_password');
		assert.match(r.json.error.message, why, pw);
	}
});

test('administrator passwords have at least 12 characters; business ones 8 (settings)', async () => {
	const own = await setup({ fixture: false, users: [] });
	try {
		const add = (username, role, pw) => own.fazhi(['user', 'add', '--db', own.uri, '--username', username, '--role', role,
			'--password-stdin'], { input: pw + '\n' });
		const short = await add('aud1', 'auditor', 'Kq7#mVw2-Lz'); // 11
		assert.notEqual(short.code, 0);
		assert.match(short.stderr, /至少为 12 个字符/);
		assert.equal((await add('aud1', 'auditor', 'Kq7#mVw2-Lz9')).code, 0);
		assert.equal((await add('biz1', 'officer', 'Kq7#mVw2')).code, 0);
	} finally {
		await own.close();
	}
});

test('a setting written past `fazhi settings set` (out of range) stops serve and the CLI instead of being guessed', async () => {
	const own = await setup({ fixture: false, users: [] });
	try {
		await own.sql("INSERT INTO settings(key, value, updated_at) VALUES ('lock_threshold', '0', 0)");
		const list = await own.fazhi(['settings', '--db', own.uri]);
		assert.equal(list.code, 1);
		assert.match(list.stderr, /设置值超出范围/);
		const serve = await own.fazhi(['serve', '--db', own.uri, '--listen', `127.0.0.1:${await freePort()}`], { timeout: 20000 });
		assert.equal(serve.code, 1, serve.stderr);
		assert.match(serve.stderr, /无法读取设置/);
		assert.equal((await own.fazhi(['settings', 'set', 'lock_threshold', '5', '--db', own.uri])).code, 0);
		assert.match((await own.fazhi(['settings', '--db', own.uri])).stdout, /lock_threshold\s+5/);
	} finally {
		await own.close();
	}
});

test('the login path fails closed: a store error answers 500, never lets the attempt by', async () => {
	const own = await setup({ fixture: false, users: [{ username: 'alice', role: 'evaluator' }] });
	try {
		await own.sql('DROP TABLE login_failures');
		expectError(assert, await own.tryLogin('alice'), 500, 'store_error');
		expectError(assert, await own.tryLogin('alice', 'Wrong-Pass1x'), 500, 'store_error');
		assert.equal(await own.sql("SELECT COUNT(*) FROM sessions"), '0');
	} finally {
		await own.stop().catch(() => {});
		await own.cleanup();
	}
});
