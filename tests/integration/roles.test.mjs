// roles.test.mjs — the role matrix over HTTP: the three separated
// administrators (sysadmin, secadmin, auditor) and the business roles;
// refusals are audited.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { expectError, freshUscc, setup } from './harness.mjs';

let env, sys, sec, aud, coord, evaluator;
before(async () => {
	env = await setup();
	[sys, sec, aud, coord, evaluator] = await Promise.all(
		['sysadmin', 'secadmin', 'auditor', 'coord', 'evaluator'].map((u) => env.login(u)));
});
after(async () => { await env?.close(); });

test('sysadmin: maintains bodies, cannot read the audit log, users or subjects', async () => {
	expectError(assert, await env.get('/api/v1/audit', sys), 403, 'forbidden');
	expectError(assert, await env.get('/api/v1/audit/verify', sys), 403, 'forbidden');
	expectError(assert, await env.get('/api/v1/users', sys), 403, 'forbidden');
	expectError(assert, await env.get('/api/v1/subjects', sys), 403, 'forbidden');
	expectError(assert, await env.post('/api/v1/users', sys, { username: 'sneaky', role: 'secadmin' }), 403, 'forbidden');
	assert.equal((await env.get('/api/v1/bodies', sys)).status, 200);
	const b = await env.post('/api/v1/bodies', sys, { code: 'B330281-JYJ', name: '余姚市教育局', kind: 'department', region: '330281', parent: 'B330281-GOV' });
	assert.equal(b.status, 201, b.text);
});

test('auditor: reads the audit log only', async () => {
	expectError(assert, await env.get('/api/v1/users', aud), 403, 'forbidden');
	expectError(assert, await env.get('/api/v1/bodies', aud), 403, 'forbidden');
	expectError(assert, await env.get('/api/v1/subjects', aud), 403, 'forbidden');
	expectError(assert, await env.get('/api/v1/people', aud), 403, 'forbidden');
	expectError(assert, await env.get('/api/v1/regions', aud), 403, 'forbidden');
	expectError(assert, await env.post('/api/v1/users', aud, { username: 'sneaky2', role: 'auditor' }), 403, 'forbidden');
	const log = await env.get('/api/v1/audit', aud);
	assert.equal(log.status, 200);
	assert.ok(log.json.total > 0);
	const e = log.json.items[0];
	for (const k of ['id', 'time', 'actor', 'ip', 'action', 'entity', 'entity_id', 'result', 'detail', 'hash'])
		assert.ok(k in e, `audit item has ${k}`);
	assert.match(e.time, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
	// Newest first.
	assert.ok(log.json.items.every((x, i, xs) => i === 0 || xs[i - 1].id > x.id));
});

test('a refused access writes an audit entry naming who, what and why', async () => {
	const before = (await env.audit({ action: 'access', result: 'refused' }, aud)).length;
	expectError(assert, await env.get('/api/v1/audit?action=login', sys), 403, 'forbidden');
	expectError(assert, await env.get('/api/v1/users', evaluator), 403, 'forbidden');
	const after = await env.audit({ action: 'access', result: 'refused' }, aud);
	assert.equal(after.length, before + 2);
	const bySys = after.find((x) => x.actor === 'sysadmin' && JSON.parse(x.detail).path === '/api/v1/audit');
	assert.ok(bySys, JSON.stringify(after));
	assert.deepEqual(JSON.parse(bySys.detail), { code: 'forbidden', method: 'GET', path: '/api/v1/audit' });
	assert.equal(bySys.ip, '127.0.0.1');
	assert.equal(bySys.entity, 'route');
	assert.ok(after.some((x) => x.actor === 'evaluator' && JSON.parse(x.detail).path === '/api/v1/users'));
});

test('business roles: evaluator reads but cannot write; no role but secadmin manages users', async () => {
	assert.equal((await env.get('/api/v1/subjects', evaluator)).status, 200);
	const body = { kind: 'enterprise', name: '评估专家新建公司', uscc: freshUscc(), region: '330282' };
	expectError(assert, await env.post('/api/v1/subjects', evaluator, body), 403, 'forbidden');
	expectError(assert, await env.patch('/api/v1/subjects/1', evaluator, { name: '改' }), 403, 'forbidden');
	expectError(assert, await env.post('/api/v1/bodies', evaluator, { code: 'E1', name: '甲', kind: 'department', region: '330282' }), 403, 'forbidden');
	expectError(assert, await env.get('/api/v1/users', coord), 403, 'forbidden');
	expectError(assert, await env.get('/api/v1/audit', coord), 403, 'forbidden');
	assert.equal((await env.get('/api/v1/subjects?q=' + encodeURIComponent('评估专家'), coord)).json.total, 0);
});

test('secadmin: creates a user (201 with initial_password) who must change it at first login', async () => {
	const r = await env.post('/api/v1/users', sec, { username: 'new_officer', display_name: '新执法员', role: 'officer', scope_region: '330282', bodies: ['B330282-ZHZF'] });
	assert.equal(r.status, 201, r.text);
	assert.ok(r.json.id > 0);
	assert.equal(r.json.role, 'officer');
	assert.equal(r.json.scope_region, '330282');
	assert.deepEqual(r.json.bodies, ['B330282-ZHZF']);
	assert.equal(r.json.must_change_password, true);
	assert.equal(typeof r.json.initial_password, 'string');
	assert.equal(r.json.initial_password.length, 16);
	// Shown once: not in the user's record afterwards.
	const g = await env.get(`/api/v1/users/${r.json.id}`, sec);
	assert.equal(g.status, 200);
	assert.ok(!('initial_password' in g.json));
	assert.ok(!g.text.includes(r.json.initial_password));
	const s = await env.login('new_officer', r.json.initial_password);
	assert.equal(s.user.must_change_password, true);
	expectError(assert, await env.get('/api/v1/subjects', s), 403, 'password_change_required');
	const created = await env.audit({ action: 'create', entity: 'user', entity_id: String(r.json.id) }, aud);
	assert.equal(created.length, 1);
	assert.equal(created[0].actor, 'secadmin');

	expectError(assert, await env.post('/api/v1/users', sec, { username: 'new_officer', role: 'officer' }), 409, 'conflict', 'username');
	expectError(assert, await env.post('/api/v1/users', sec, { username: 'bad_role', role: 'emperor' }), 422, 'invalid', 'role');
	expectError(assert, await env.post('/api/v1/users', sec, { username: 'no_role' }), 422, 'invalid', 'role');
	expectError(assert, await env.post('/api/v1/users', sec, { username: 'x', role: 'officer' }), 422, 'invalid', 'username');
	expectError(assert, await env.post('/api/v1/users', sec, { username: 'bad_scope', role: 'officer', scope_region: '110101' }), 422, 'invalid', 'scope_region');
	expectError(assert, await env.post('/api/v1/users', sec, { username: 'pw_given', role: 'officer', password: 'Kq7#mVw2-Lz' }), 400, 'unknown_field', 'password');
});

test('secadmin cannot change their own account (403: an administrator account), but can change a business user\'s role', async () => {
	const self = sec.user.id;
	const r = await env.patch(`/api/v1/users/${self}`, sec, { role: 'coordinator' });
	expectError(assert, r, 403, 'forbidden');
	assert.equal((await env.get('/api/v1/me', sec)).json.user.role, 'secadmin');
	const refused = await env.audit({ action: 'update', entity: 'user', entity_id: String(self), result: 'refused' }, aud);
	assert.equal(refused.length, 1);
	// Not even their own display name: administrator accounts are host operations.
	expectError(assert, await env.patch(`/api/v1/users/${self}`, sec, { display_name: '安全管理员甲' }), 403, 'forbidden');
	// A business user's role can be changed to another business role.
	const ev = evaluator.user.id;
	const up = await env.patch(`/api/v1/users/${ev}`, sec, { role: 'legal_reviewer' });
	assert.equal(up.status, 200, up.text);
	assert.equal(up.json.role, 'legal_reviewer');
	const me = await env.get('/api/v1/me', await env.login('evaluator'));
	assert.equal(me.json.user.role, 'legal_reviewer');
	expectError(assert, await env.patch(`/api/v1/users/${ev}`, sec, { username: 'renamed' }), 422, 'invalid', 'username');
});

test('secadmin: reset password gives a new initial password and ends the sessions', async () => {
	await env.addUser({ username: 'forgetful', role: 'evaluator' });
	const s = await env.login('forgetful');
	const r = await env.post(`/api/v1/users/${s.user.id}/reset-password`, sec, {});
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.initial_password.length, 16);
	assert.equal((await env.get('/api/v1/me', s)).status, 401);
	expectError(assert, await env.tryLogin('forgetful'), 401, 'invalid_credentials');
	const again = await env.login('forgetful', r.json.initial_password);
	assert.equal(again.user.must_change_password, true);
});

test('the users list (secadmin) shows no password material', async () => {
	const r = await env.get('/api/v1/users?limit=200', sec);
	assert.equal(r.status, 200);
	assert.ok(r.json.total >= 8);
	assert.ok(!/pw_hash|argon2|initial_password/.test(r.text));
	const u = r.json.items.find((x) => x.username === 'coord_a');
	assert.equal(u.scope_region, '330282');
	assert.equal(u.locked, false);
	assert.equal(u.disabled, false);
});
