// admin_separation.test.mjs — the three administrators (三员) are host
// operations: no API call creates, changes, resets, unlocks or disables an
// account holding an administrator role, no role change crosses the
// administrator/business line, each refusal answers 403 before any field is
// validated and is audited. Administrators log in with a TOTP code.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { ADMIN_PASSWORD, PASSWORD, expectError, otpauthSecret, setup, totpCode } from './harness.mjs';

let env, sec, aud;
const ids = {};
before(async () => {
	env = await setup({
		users: [
			{ username: 'coord', role: 'coordinator' },
			{ username: 'evaluator', role: 'evaluator' },
			{ username: 'sysadmin', role: 'sysadmin' },
			{ username: 'secadmin', role: 'secadmin' },
			{ username: 'secadmin2', role: 'secadmin' },
			{ username: 'auditor', role: 'auditor' },
		],
	});
	[sec, aud] = [await env.login('secadmin'), await env.login('auditor')];
	for (const u of ['coord', 'evaluator', 'sysadmin', 'secadmin2', 'auditor'])
		ids[u] = Number(await env.sql(`SELECT id FROM users WHERE username = '${u}'`));
});
after(async () => { await env?.close(); });

async function refusals(action, id) {
	const q = { action, entity: 'user', result: 'refused' };
	if (id) q.entity_id = String(id);
	return env.audit(q, aud);
}

test('secadmin cannot create an administrator: 403 before any field is validated, audited', async () => {
	for (const role of ['auditor', 'secadmin', 'sysadmin']) {
		const before = (await refusals('create')).length;
		expectError(assert, await env.post('/api/v1/users', sec, { username: `new_${role}`, role }), 403, 'forbidden', 'role');
		// Refused before validation: a bad username or an unknown field does not change the answer.
		expectError(assert, await env.post('/api/v1/users', sec, { username: 'x', role, bogus: 1 }), 403, 'forbidden', 'role');
		const after = await refusals('create');
		assert.equal(after.length, before + 2, JSON.stringify(after));
		assert.equal(after[0].actor, 'secadmin');
		assert.deepEqual(JSON.parse(after[0].detail), { reason: 'administrator_separation', role });
	}
	assert.equal(await env.sql("SELECT COUNT(*) FROM users WHERE username LIKE 'new_%'"), '0');
});

test('secadmin cannot change an administrator\'s role, display name or state', async () => {
	for (const [who, body] of [['auditor', { role: 'coordinator' }], ['secadmin2', { role: 'auditor' }],
		['sysadmin', { display_name: '改名' }], ['auditor', { disabled: true }], ['secadmin2', { scope_region: '330282' }],
		['auditor', { role: 'evaluator', username: 'x', bogus: true }]]) {
		const before = (await refusals('update', ids[who])).length;
		expectError(assert, await env.patch(`/api/v1/users/${ids[who]}`, sec, body), 403, 'forbidden');
		assert.equal((await refusals('update', ids[who])).length, before + 1, `${who} ${JSON.stringify(body)}`);
	}
	const rows = await env.sql("SELECT username, role, disabled, display_name FROM users WHERE username IN ('auditor', 'secadmin2', 'sysadmin') ORDER BY username");
	assert.deepEqual(rows.split('\n'), ['auditor|auditor|0|auditor', 'secadmin2|secadmin|0|secadmin2', 'sysadmin|sysadmin|0|sysadmin']);
});

test('secadmin cannot reset the auditor\'s password and log in as the auditor', async () => {
	const r = await env.post(`/api/v1/users/${ids.auditor}/reset-password`, sec, {});
	expectError(assert, r, 403, 'forbidden');
	assert.ok(!('initial_password' in (r.json || {})));
	assert.equal((await refusals('password_reset', ids.auditor)).length, 1);
	// The auditor's own password still works (with a code).
	const s = await env.login('auditor', ADMIN_PASSWORD);
	assert.equal(s.user.role, 'auditor');
	expectError(assert, await env.post(`/api/v1/users/${ids.sysadmin}/unlock`, sec, {}), 403, 'forbidden');
	assert.equal((await refusals('unlock', ids.sysadmin)).length, 1);
});

test('no role change turns a business user into an administrator; business to business is fine', async () => {
	for (const role of ['auditor', 'secadmin', 'sysadmin'])
		expectError(assert, await env.patch(`/api/v1/users/${ids.coord}`, sec, { role }), 403, 'forbidden', 'role');
	assert.equal(await env.sql(`SELECT role FROM users WHERE id = ${ids.coord}`), 'coordinator');
	assert.equal((await refusals('update', ids.coord)).length, 3);
	const ok = await env.patch(`/api/v1/users/${ids.evaluator}`, sec, { role: 'legal_reviewer' });
	assert.equal(ok.status, 200, ok.text);
	// Business accounts stay manageable: reset, unlock, disable.
	assert.equal((await env.post(`/api/v1/users/${ids.evaluator}/reset-password`, sec, {})).status, 200);
	assert.equal((await env.post(`/api/v1/users/${ids.evaluator}/unlock`, sec, {})).status, 200);
	// The list marks the administrator accounts for the console.
	const list = await env.get('/api/v1/users?limit=200', sec);
	assert.equal(list.json.items.find((u) => u.username === 'auditor').administrator, true);
	assert.equal(list.json.items.find((u) => u.username === 'coord').administrator, false);
});

test('fazhi user add --role auditor prints the otpauth URI on a line of its own; 12 characters at least', async () => {
	const short = await env.fazhi(['user', 'add', '--db', env.uri, '--username', 'aud_short', '--role', 'auditor', '--password-stdin'],
		{ input: PASSWORD + '\n' }); // 11 characters: enough for business roles only
	assert.notEqual(short.code, 0);
	assert.match(short.stderr, /12/);
	const r = await env.fazhi(['user', 'add', '--db', env.uri, '--username', 'aud2', '--role', 'auditor', '--password-stdin'],
		{ input: ADMIN_PASSWORD + '\n' });
	assert.equal(r.code, 0, r.stderr);
	const line = r.stdout.split('\n').find((l) => l.startsWith('otpauth://'));
	assert.match(line, /^otpauth:\/\/totp\/fazhi:aud2\?secret=[A-Z2-7]{32}&issuer=fazhi$/);
	// A business account gets none.
	const b = await env.fazhi(['user', 'add', '--db', env.uri, '--username', 'biz2', '--role', 'officer', '--password-stdin'],
		{ input: PASSWORD + '\n' });
	assert.equal(b.code, 0, b.stderr);
	assert.ok(!b.stdout.includes('otpauth://'));
	// The secret is sealed at rest: not in the store in clear.
	const secret = otpauthSecret(r.stdout);
	const dump = await env.sql("SELECT hex(secret) FROM user_totp").catch(() => '');
	assert.ok(!dump.includes(Buffer.from(secret).toString('hex').toUpperCase()));
});

test('an administrator needs a TOTP code: none → 401 totp_required, right → 200, the same again → 401', async () => {
	const none = await env.tryLogin('sysadmin', ADMIN_PASSWORD, { totp: null });
	expectError(assert, none, 401, 'totp_required', 'totp');
	assert.equal(none.cookies.length, 0);
	// A wrong password without a code is a plain wrong password (no hint about the code).
	expectError(assert, await env.tryLogin('sysadmin', 'Wrong-Passw0rd-x', { totp: null }), 401, 'invalid_credentials');
	const code = await env.nextTotp('sysadmin');
	const ok = await env.tryLogin('sysadmin', ADMIN_PASSWORD, { totp: code });
	assert.equal(ok.status, 200, ok.text);
	const replay = await env.tryLogin('sysadmin', ADMIN_PASSWORD, { totp: code });
	expectError(assert, replay, 401, 'invalid_credentials');
	assert.equal(replay.json.error.message, (await env.tryLogin('nobody_x', PASSWORD)).json.error.message);
	// A wrong code counts as a failure.
	const bad = String((Number(totpCode(env.totpSecrets.sysadmin)) + 500000) % 1e6).padStart(6, '0');
	expectError(assert, await env.tryLogin('sysadmin', ADMIN_PASSWORD, { totp: bad }), 401, 'invalid_credentials');
	const failed = await env.audit({ action: 'login', entity_id: String(ids.sysadmin), result: 'failed_second_factor' }, aud);
	assert.equal(failed.length, 2);
	const required = await env.audit({ action: 'login', entity_id: String(ids.sysadmin), result: 'totp_required' }, aud);
	assert.equal(required.length, 1);
});

test('fazhi user totp issues a new secret: the old one stops working', async () => {
	const old = env.totpSecrets.secadmin;
	const r = await env.fazhi(['user', 'totp', '--db', env.uri, '--username', 'secadmin']);
	assert.equal(r.code, 0, r.stderr);
	const secret = otpauthSecret(r.stdout);
	assert.ok(secret && secret !== old);
	const step = Math.floor(Date.now() / 30000);
	expectError(assert, await env.tryLogin('secadmin', ADMIN_PASSWORD, { totp: totpCode(old, step) }), 401, 'invalid_credentials');
	env.setTotp('secadmin', secret);
	await env.login('secadmin');
});

test('fazhi demo prints the administrators\' otpauth URIs; a printed administrator account can log in', async () => {
	const demo = await setup({ fixture: false, users: [], serve: false });
	try {
		const r = await demo.fazhi(['demo', '--db', demo.uri, '--enterprises', '20', '--persons', '20', '--officers', '20']);
		assert.equal(r.code, 0, r.stderr);
		const uris = r.stdout.split('\n').filter((l) => l.startsWith('otpauth://'));
		assert.deepEqual(uris.map((u) => /fazhi:([^?]+)\?/.exec(u)[1]).sort(), ['auditor', 'secadmin', 'sysadmin']);
		const pw = /^\s+auditor\s+(\S+)/m.exec(r.stdout)[1];
		demo.passwords.auditor = pw;
		demo.setTotp('auditor', otpauthSecret(uris.find((u) => u.includes('fazhi:auditor?'))));
		await demo.start();
		const s = await demo.login('auditor');
		assert.equal(s.user.role, 'auditor');
		assert.equal(s.user.must_change_password, true);
		// the store says it is demo data (the console marks every page)
		assert.equal((await demo.get('/api/v1/health')).json.demo_data, true);
		// enterprise names: a 市辖区 carries its city (企业名称登记管理规定 第七条)
		const names = (await demo.sql("SELECT name FROM subjects WHERE kind = 'enterprise'")).split('\n');
		const inDistrict = names.filter((n) => /^(宁波市)?(海曙|江北|北仑|镇海|鄞州|奉化)区/.test(n));
		assert.ok(inDistrict.every((n) => n.startsWith('宁波市')), inDistrict.join(','));
	} finally {
		await demo.close();
	}
});
