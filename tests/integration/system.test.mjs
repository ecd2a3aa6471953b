// system.test.mjs — the administrators' pages: the system administrator's
// health (GET /api/v1/system) and operational settings, the security
// administrator's security settings; each side reads and changes only its
// own, every change audited, a change used from the next start.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { defaultUsers, expectError, setup } from './harness.mjs';

let env, sys, sec, coord;
before(async () => {
	env = await setup({ users: defaultUsers() });
	[sys, sec, coord] = [await env.login('sysadmin'), await env.login('secadmin'), await env.login('coord')];
});
after(async () => { await env?.close(); });

test('health: version, store, uptime, the notification pass, the last backup', async () => {
	const backup = await env.fazhi(['backup', '--db', env.uri, `${env.dir}/b.db`]);
	const r = await env.get('/api/v1/system', sys);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.store, env.backend);
	assert.ok(r.json.store_bytes > 0);
	assert.ok(r.json.uptime_seconds >= 0);
	assert.ok(r.json.schema_version >= 18);
	assert.ok(r.json.notifications.last_pass, 'the server made a pass at start');
	assert.equal(r.json.notifications.interval_seconds, 60);
	assert.ok(r.json.calendar.years.length > 0);
	if (backup.code === 0) assert.ok(Number(r.json.backup.last_at) > 0, 'the backup is seen');
	for (const s of [coord, sec]) expectError(assert, await env.get('/api/v1/system', s), 403, 'forbidden');
});

test('each administrator sees and changes only its own settings', async () => {
	const mine = await env.get('/api/v1/settings', sys);
	assert.equal(mine.status, 200, mine.text);
	const keys = mine.json.items.map((x) => x.key);
	assert.ok(keys.includes('notify_interval_seconds') && keys.includes('export_max_rows'));
	assert.ok(!keys.includes('pw_min_len') && !keys.includes('lock_threshold'));
	const theirs = (await env.get('/api/v1/security-settings', sec)).json.items.map((x) => x.key);
	assert.ok(theirs.includes('pw_min_len') && !theirs.includes('notify_interval_seconds'));
	expectError(assert, await env.get('/api/v1/security-settings', sys), 403, 'forbidden');
	expectError(assert, await env.get('/api/v1/settings', sec), 403, 'forbidden');
	expectError(assert, await env.req('PUT', '/api/v1/settings/pw_min_len', { sess: sys, body: { value: 6 } }), 404, 'not_found');
	expectError(assert, await env.req('PUT', '/api/v1/security-settings/export_max_rows', { sess: sec, body: { value: 10 } }), 404, 'not_found');
	const bad = await env.req('PUT', '/api/v1/settings/due_soon_working_days', { sess: sys, body: { value: 99 } });
	expectError(assert, bad, 422, 'invalid', 'value');
	assert.match(bad.json.error.message, /^工作台“即将到期”的范围.*应为 1 到 30 之间的整数/);
	expectError(assert, await env.req('PUT', '/api/v1/settings/due_soon_working_days', { sess: sys, body: { value: '5' } }), 422, 'invalid', 'value');
	const ok = await env.req('PUT', '/api/v1/settings/due_soon_working_days', { sess: sys, body: { value: 5 } });
	assert.equal(ok.status, 200, ok.text);
	const row = ok.json.items.find((x) => x.key === 'due_soon_working_days');
	assert.deepEqual([row.value, row.running, row.pending], [5, 3, true], 'stored now, used from the next start');
	const s = await env.req('PUT', '/api/v1/security-settings/lock_minutes', { sess: sec, body: { value: 30 } });
	assert.equal(s.status, 200, s.text);
	const log = await env.audit({ entity: 'setting' });
	const d = (e) => JSON.parse(e.detail);
	assert.ok(log.some((e) => e.result === 'ok' && d(e).key === 'due_soon_working_days' && d(e).value === '5' && d(e).running === 3));
	assert.ok(log.some((e) => e.result === 'refused' && d(e).key === 'due_soon_working_days'));
	await env.restart();
	sys = await env.login('sysadmin');
	const after = (await env.get('/api/v1/settings', sys)).json.items.find((x) => x.key === 'due_soon_working_days');
	assert.deepEqual([after.running, after.pending], [5, false]);
});
