// scope.test.mjs — a user sees and writes only within their region (and
// bodies, when bound to some); records outside answer exactly like missing
// ones.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { expectError, freshIdNumber, freshUscc, setup } from './harness.mjs';

let env, coord, a, b, dept;
const ids = {};
before(async () => {
	env = await setup();
	coord = await env.login('coord');
	a = await env.login('coord_a');   // 慈溪市 330282
	b = await env.login('coord_b');   // 余姚市 330281
	dept = await env.login('dept_a'); // 慈溪市市场监督管理局 only
	ids.bodyB = await env.idOf('bodies', { q: 'B330281-SCJG' }, coord);
	ids.bodyA = await env.idOf('bodies', { q: 'B330282-SCJG' }, coord);
	ids.personB = await env.idOf('people', { q: '赵磊' }, coord);
	ids.personA = await env.idOf('people', { q: '王建国' }, coord);
	ids.subjectB = await env.idOf('subjects', { q: '余姚市明远模具' }, coord);
	ids.personSubjectB = await env.idOf('subjects', { q: '王五' }, coord);
	ids.subjectA = await env.idOf('subjects', { q: '兴华' }, coord);
});
after(async () => { await env?.close(); });

test('an id in another county answers 404 exactly like a missing id', async () => {
	for (const [res, id] of [['bodies', ids.bodyB], ['people', ids.personB], ['subjects', ids.subjectB], ['subjects', ids.personSubjectB]]) {
		const other = await env.get(`/api/v1/${res}/${id}`, a);
		const missing = await env.get(`/api/v1/${res}/99999999`, a);
		expectError(assert, other, 404, 'not_found');
		assert.equal(other.text, missing.text, `${res}/${id}: same body as a missing id`);
		assert.equal(other.headers.get('content-type'), missing.headers.get('content-type'));
		// The same id is visible in its own county and to the whole city.
		assert.equal((await env.get(`/api/v1/${res}/${id}`, b)).status, 200);
		assert.equal((await env.get(`/api/v1/${res}/${id}`, coord)).status, 200);
	}
	assert.equal((await env.get(`/api/v1/subjects/${ids.subjectA}`, a)).status, 200);
});

test('PATCH of another county\'s record answers 404 and changes nothing', async () => {
	const other = await env.patch(`/api/v1/subjects/${ids.subjectB}`, a, { name: '越权改名' });
	const missing = await env.patch('/api/v1/subjects/99999999', a, { name: '越权改名' });
	expectError(assert, other, 404, 'not_found');
	assert.equal(other.text, missing.text);
	expectError(assert, await env.patch(`/api/v1/bodies/${ids.bodyB}`, a, { name: '越权改名' }), 404, 'not_found');
	expectError(assert, await env.patch(`/api/v1/people/${ids.personB}`, a, { title: '越权' }), 404, 'not_found');
	assert.equal((await env.get(`/api/v1/subjects/${ids.subjectB}`, coord)).json.name, '余姚市明远模具有限公司');
	assert.notEqual((await env.get(`/api/v1/bodies/${ids.bodyB}`, coord)).json.name, '越权改名');
});

test('lists, searches and exports hold only the user\'s county', async () => {
	for (const res of ['bodies', 'people', 'subjects']) {
		const mine = await env.get(`/api/v1/${res}?limit=200`, a);
		assert.equal(mine.status, 200);
		assert.ok(mine.json.items.length > 0);
		assert.equal(mine.json.total, mine.json.items.length);
		const all = await env.get(`/api/v1/${res}?limit=200`, coord);
		assert.ok(all.json.total > mine.json.total, `${res}: the city sees more`);
		const theirs = await env.get(`/api/v1/${res}?limit=200`, b);
		const mineIds = new Set(mine.json.items.map((x) => x.id));
		assert.ok(theirs.json.items.every((x) => !mineIds.has(x.id)), `${res}: no overlap between the counties`);
	}
	const subj = await env.get('/api/v1/subjects?limit=200', a);
	assert.ok(subj.json.items.every((x) => x.region === '330282'));
	assert.ok(!subj.json.items.some((x) => x.id === ids.subjectB || x.id === ids.personSubjectB));
	const bodies = await env.get('/api/v1/bodies?limit=200', a);
	assert.ok(bodies.json.items.every((x) => x.region === '330282'), JSON.stringify(bodies.json.items));
	const people = await env.get('/api/v1/people?limit=200', a);
	assert.ok(!people.json.items.some((x) => x.id === ids.personB));

	// Asking for the other county by filter or keyword finds nothing.
	assert.equal((await env.get('/api/v1/subjects?region=330281', a)).json.total, 0);
	assert.equal((await env.get('/api/v1/subjects?q=' + encodeURIComponent('余姚'), a)).json.total, 0);
	assert.equal((await env.get('/api/v1/people?q=33028100021', a)).json.total, 0);
	assert.equal((await env.get(`/api/v1/people?body=${ids.bodyB}`, a)).json.total, 0);
	// Asking for the whole city returns only the county.
	assert.equal((await env.get('/api/v1/subjects?region=330200', a)).json.total, subj.json.total);
	// The export is filtered the same way.
	await env.get('/api/v1/subjects?format=xlsx', a);
	const exp = await env.audit({ action: 'export', actor: 'coord_a' });
	assert.equal(JSON.parse(exp[0].detail).rows, subj.json.total);
});

test('creating a subject in another county → 403 out_of_scope, audited, nothing written', async () => {
	const u = freshUscc('330281');
	const r = await env.post('/api/v1/subjects', a, { kind: 'enterprise', name: '余姚市越权公司', uscc: u, region: '330281' });
	expectError(assert, r, 403, 'out_of_scope', 'region');
	const p = await env.post('/api/v1/subjects', a, { kind: 'person', name: '越权', id_number: freshIdNumber('330281'), region: '330281' });
	expectError(assert, p, 403, 'out_of_scope', 'region');
	assert.equal((await env.get('/api/v1/subjects?q=' + u, coord)).json.total, 0);
	const refused = await env.audit({ actor: 'coord_a', result: 'refused', action: 'create' });
	assert.ok(refused.length >= 2, JSON.stringify(refused));
	// Moving an own subject into the other county is refused too.
	const move = await env.patch(`/api/v1/subjects/${ids.subjectA}`, a, { region: '330281' });
	expectError(assert, move, 403, 'out_of_scope', 'region');
	assert.equal((await env.get(`/api/v1/subjects/${ids.subjectA}`, coord)).json.region, '330282');
	// In the own county it works.
	const ok = await env.post('/api/v1/subjects', a, { kind: 'enterprise', name: '慈溪市本地公司', uscc: freshUscc('330282'), region: '330282' });
	assert.equal(ok.status, 201, ok.text);
});

test('bodies and people cannot be created in another county', async () => {
	const body = await env.post('/api/v1/bodies', a, { code: 'B330281-X', name: '越权机关', kind: 'department', region: '330281' });
	expectError(assert, body, 403, 'out_of_scope', 'region');
	const person = await env.post('/api/v1/people', a, { name: '越权人员', body: 'B330281-SCJG' });
	expectError(assert, person, 403, 'out_of_scope', 'body');
});

test('a body-bound user sees only that body\'s people', async () => {
	const r = await env.get('/api/v1/people?limit=200', dept);
	assert.equal(r.status, 200);
	assert.ok(r.json.items.length >= 1);
	assert.ok(r.json.items.every((p) => p.body_id === ids.bodyA), JSON.stringify(r.json.items));
	assert.equal(r.json.total, r.json.items.length);
	// A person of another body in the same county is out of reach.
	const chen = await env.idOf('people', { q: '陈静' }, coord);
	const other = await env.get(`/api/v1/people/${chen}`, dept);
	expectError(assert, other, 404, 'not_found');
	assert.equal(other.text, (await env.get('/api/v1/people/99999999', dept)).text);
	assert.equal((await env.get(`/api/v1/people/${ids.personA}`, dept)).status, 200);
	// And cannot be added to another body.
	expectError(assert, await env.post('/api/v1/people', dept, { name: '他人', body: 'B330282-ZHZF' }), 403, 'out_of_scope', 'body');
	const own = await env.post('/api/v1/people', dept, { name: '本单位人员', body: 'B330282-SCJG', title: '科员' });
	assert.equal(own.status, 201, own.text);
	// Bodies list: only the bound body.
	const bodies = await env.get('/api/v1/bodies?limit=200', dept);
	assert.deepEqual(bodies.json.items.map((x) => x.code), ['B330282-SCJG']);
});

test('/me reports the scope', async () => {
	const me = await env.get('/api/v1/me', a);
	assert.equal(me.json.user.scope_region, '330282');
	assert.equal(me.json.user.scope_region_name, '慈溪市');
	const top = await env.get('/api/v1/me', coord);
	assert.equal(top.json.user.scope_region, null);
	const d = await env.get('/api/v1/me', dept);
	assert.deepEqual(d.json.user.bodies, [ids.bodyA]);
});

test('moving a body to the other county moves its people out of this county\'s scope', async () => {
	const sys = await env.login('sysadmin');
	const body = await env.post('/api/v1/bodies', sys, { code: 'B330282-MOVE', name: '慈溪市待划转局', kind: 'department', region: '330282', parent: 'B330282-GOV' });
	assert.equal(body.status, 201, body.text);
	const person = await env.post('/api/v1/people', coord, { name: '划转人员', body: 'B330282-MOVE', title: '科员' });
	assert.equal(person.status, 201, person.text);
	assert.equal((await env.get(`/api/v1/people/${person.json.id}`, a)).status, 200);
	expectError(assert, await env.get(`/api/v1/people/${person.json.id}`, b), 404, 'not_found');

	const moved = await env.patch(`/api/v1/bodies/${body.json.id}`, sys, { region: '330281', parent: 'B330281-GOV' });
	assert.equal(moved.status, 200, moved.text);
	expectError(assert, await env.get(`/api/v1/people/${person.json.id}`, a), 404, 'not_found');
	assert.equal((await env.get(`/api/v1/people/${person.json.id}`, b)).status, 200);
	assert.ok(!(await env.get('/api/v1/people?limit=200', a)).json.items.some((p) => p.id === person.json.id));
	assert.ok((await env.get('/api/v1/people?limit=200', b)).json.items.some((p) => p.id === person.json.id));
	assert.equal((await env.get('/api/v1/people?region=330281&q=' + encodeURIComponent('划转人员'), coord)).json.total, 1);
});

test('a body cannot move away from its sub-bodies\' region', async () => {
	const sys = await env.login('sysadmin');
	const gov = await env.idOf('bodies', { q: 'B330282-GOV' }, coord);
	const r = await env.patch(`/api/v1/bodies/${gov}`, sys, { region: '330281' });
	expectError(assert, r, 422, 'invalid', 'region');
	assert.equal((await env.get(`/api/v1/bodies/${gov}`, coord)).json.region, '330282');
});
