// org.test.mjs — create, read, update and list bodies, people and
// subjects: paging, keyword and region filters, validation and conflicts,
// the .xlsx export.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { addDays, expectError, fixtureRecords, freshIdNumber, freshUscc, idNumber, setup, todayCst, uscc } from './harness.mjs';

let env, coord, sys;
before(async () => {
	env = await setup();
	coord = await env.login('coord');
	sys = await env.login('sysadmin');
});
after(async () => { await env?.close(); });

const fixture = () => fixtureRecords();

test('the fixture\'s identifiers carry the check characters the harness computes', () => {
	const recs = fixture();
	for (const r of recs.filter((x) => x.kind === 'person')) assert.equal(idNumber(r.id_number.slice(0, 17)), r.id_number);
	for (const r of recs.filter((x) => x.kind === 'enterprise')) assert.equal(uscc(r.uscc.slice(0, 17)), r.uscc);
	assert.equal(recs.filter((x) => x.type === 'region').length, 4);
});

describe('regions', () => {
	test('update renames a region in scope (audited); outside the scope 404; bad name 422', async () => {
		const c = await env.post('/api/v1/regions', sys, { code: '330283', name: '试点市', parent: '330200' });
		assert.equal(c.status, 201, c.text);
		const p = await env.patch('/api/v1/regions/330283', sys, { name: '试点市（更名）' });
		assert.equal(p.status, 200, p.text);
		assert.equal(p.json.name, '试点市（更名）');
		assert.equal(p.json.code, '330283', 'fields not named keep their value');
		assert.equal((await env.get('/api/v1/regions/330283', coord)).json.name, '试点市（更名）');
		expectError(assert, await env.patch('/api/v1/regions/330283', sys, { name: '' }), 422, 'invalid', 'name');
		await env.addUser({ username: 'coord_region_cx', role: 'coordinator', scope: '330282' });
		const county = await env.login('coord_region_cx');
		expectError(assert, await env.patch('/api/v1/regions/330283', county, { name: '越权' }), 404, 'not_found');
		expectError(assert, await env.patch('/api/v1/regions/330283', await env.login('coord'), { nme: 'x' }), 400, 'unknown_field');
		assert.equal((await env.get('/api/v1/regions/330283', coord)).json.name, '试点市（更名）', 'nothing written by the refusals');
		const log = await env.audit({ entity: 'region', entity_id: String(c.json.id) });
		assert.deepEqual(log.map((e) => e.action).sort(), ['create', 'update']);
	});
});

describe('bodies', () => {
	test('create (201 with id), read, update, audited', async () => {
		const body = { code: 'B330282-SFJ', name: '慈溪市司法局', kind: 'department', region: '330282', parent: 'B330282-GOV' };
		const c = await env.post('/api/v1/bodies', sys, body);
		assert.equal(c.status, 201, c.text);
		assert.ok(Number.isInteger(c.json.id) && c.json.id > 0);
		assert.equal(c.json.code, body.code);
		assert.equal(c.json.region, '330282');
		assert.equal(c.json.region_name, '慈溪市');
		assert.equal(c.json.parent_code, 'B330282-GOV');

		const g = await env.get(`/api/v1/bodies/${c.json.id}`, coord);
		assert.equal(g.status, 200);
		assert.deepEqual(g.json, c.json);

		const p = await env.patch(`/api/v1/bodies/${c.json.id}`, sys, { name: '慈溪市司法局（更名）' });
		assert.equal(p.status, 200, p.text);
		assert.equal(p.json.name, '慈溪市司法局（更名）');
		assert.equal(p.json.code, body.code, 'fields not named keep their value');
		assert.equal(p.json.parent_code, 'B330282-GOV');
		assert.equal((await env.get(`/api/v1/bodies/${c.json.id}`, coord)).json.name, '慈溪市司法局（更名）');

		const log = await env.audit({ entity: 'body', entity_id: String(c.json.id) });
		assert.deepEqual(log.map((e) => e.action).sort(), ['create', 'update']);
		assert.ok(log.every((e) => e.actor === 'sysadmin'));
	});

	test('duplicate code → 409 conflict; bad kind, missing name → 422', async () => {
		const dup = await env.post('/api/v1/bodies', sys, { code: 'B330281-GOV', name: '重复', kind: 'government', region: '330281' });
		expectError(assert, dup, 409, 'conflict', 'code');
		expectError(assert, await env.post('/api/v1/bodies', sys, { code: 'X1', name: '甲', kind: 'club', region: '330281' }), 422, 'invalid', 'kind');
		expectError(assert, await env.post('/api/v1/bodies', sys, { code: 'X1', kind: 'department', region: '330281' }), 422, 'invalid', 'name');
		expectError(assert, await env.post('/api/v1/bodies', sys, { code: 'X 1', name: '甲', kind: 'department', region: '330281' }), 422, 'invalid', 'code');
		expectError(assert, await env.post('/api/v1/bodies', sys, { code: 'X1', name: '甲', kind: 'department', region: '999999' }), 422, 'invalid', 'region');
	});

	test('the tree stays a tree: no body under itself or under its own sub-body', async () => {
		const gov = await env.idOf('bodies', { q: 'B330282-GOV' });
		expectError(assert, await env.patch(`/api/v1/bodies/${gov}`, sys, { parent: 'B330282-GOV' }), 422, 'invalid', 'parent');
		expectError(assert, await env.patch(`/api/v1/bodies/${gov}`, sys, { parent: 'B330282-SCJG' }), 422, 'invalid', 'parent');
		const city = await env.idOf('bodies', { q: 'B330200-GOV' });
		expectError(assert, await env.patch(`/api/v1/bodies/${city}`, sys, { parent: 'B330282-ZHZF' }), 422, 'invalid', 'parent');
		assert.equal((await env.get(`/api/v1/bodies/${gov}`, coord)).json.parent_code, 'B330200-GOV');
		assert.equal((await env.get(`/api/v1/bodies/${city}`, coord)).json.parent_code, null);
	});

	test('region filter covers the subtree; kind and parent filters', async () => {
		const all = fixture().filter((r) => r.type === 'body');
		const b = await env.get('/api/v1/bodies?region=330281&limit=200', coord);
		assert.equal(b.status, 200);
		const want = all.filter((r) => r.region === '330281').map((r) => r.code).sort();
		assert.deepEqual(b.json.items.map((x) => x.code).sort(), want);
		assert.equal(b.json.total, want.length);

		const city = await env.get('/api/v1/bodies?region=330200&limit=200', coord);
		assert.ok(city.json.total >= all.length, 'the city includes both counties');

		const enf = await env.get('/api/v1/bodies?kind=enforcement&limit=200', coord);
		assert.deepEqual(enf.json.items.map((x) => x.code).sort(), ['B330281-ZHZF', 'B330282-ZHZF']);

		const gov = await env.idOf('bodies', { q: 'B330281-GOV' });
		const kids = await env.get(`/api/v1/bodies?parent=${gov}`, coord);
		assert.deepEqual(kids.json.items.map((x) => x.code).sort(), ['B330281-SCJG', 'B330281-ZHZF']);
		expectError(assert, await env.get('/api/v1/bodies?parent=abc', coord), 400, 'bad_param', 'parent');
	});
});

describe('people', () => {
	test('create an officer (201), read, update; certificate validity computed', async () => {
		const person = {
			name: '周强', body: 'B330282-ZHZF', title: '执法队员', cert_no: '33028200099', cert_issuer: '浙江省人民政府',
			cert_valid_from: '2024-01-01', cert_valid_until: '2099-12-31', cert_status: 'active',
		};
		const c = await env.post('/api/v1/people', coord, person);
		assert.equal(c.status, 201, c.text);
		assert.ok(c.json.id > 0);
		assert.equal(c.json.body_name, '慈溪市综合行政执法局');
		assert.equal(c.json.cert_valid, true);

		const g = await env.get(`/api/v1/people/${c.json.id}`, coord);
		assert.equal(g.status, 200);
		assert.equal(g.json.cert_no, '33028200099');

		const p = await env.patch(`/api/v1/people/${c.json.id}`, coord, { cert_status: 'revoked', title: '副中队长' });
		assert.equal(p.status, 200, p.text);
		assert.equal(p.json.title, '副中队长');
		assert.equal(p.json.cert_status, 'revoked');
		assert.equal(p.json.cert_valid, false);
		assert.equal(p.json.name, '周强');
	});

	test('an expired or suspended certificate is not valid', async () => {
		const r = await env.get('/api/v1/people?q=' + encodeURIComponent('孙丽'), coord);
		assert.equal(r.json.total, 1);
		assert.equal(r.json.items[0].cert_valid, false);
	});

	test('duplicate certificate → 409; end before start → 422; unknown body → 422', async () => {
		const base = { name: '吴敏', body: 'B330282-SCJG', cert_issuer: '浙江省人民政府', cert_valid_from: '2024-01-01', cert_valid_until: '2029-12-31' };
		expectError(assert, await env.post('/api/v1/people', coord, { ...base, cert_no: '33028200017' }), 409, 'conflict', 'cert_no');
		expectError(assert, await env.post('/api/v1/people', coord, { ...base, cert_no: '33028200555', cert_valid_until: '2023-01-01' }), 422, 'invalid', 'cert_valid_until');
		expectError(assert, await env.post('/api/v1/people', coord, { ...base, cert_no: '33028200555', cert_valid_from: '2024-02-30' }), 422, 'invalid', 'cert_valid_from');
		expectError(assert, await env.post('/api/v1/people', coord, { ...base, cert_no: '33028200555', body: 'NO-SUCH' }), 422, 'invalid', 'body');
	});

	test('filters: body, region, officer, keyword', async () => {
		const zhzf = await env.idOf('bodies', { q: 'B330282-ZHZF' });
		const byBody = await env.get(`/api/v1/people?body=${zhzf}&limit=200`, coord);
		assert.ok(byBody.json.items.length >= 2);
		assert.ok(byBody.json.items.every((p) => p.body_id === zhzf));
		const officers = await env.get(`/api/v1/people?body=${zhzf}&officer=1&limit=200`, coord);
		assert.ok(officers.json.items.every((p) => p.cert_no));
		assert.ok(!officers.json.items.some((p) => p.name === '陈静'), '陈静 has no certificate');
		const yy = await env.get('/api/v1/people?region=330281&limit=200', coord);
		assert.deepEqual(yy.json.items.map((p) => p.name).sort(), ['孙丽', '赵磊']);
		const kw = await env.get('/api/v1/people?q=33028100021', coord);
		assert.deepEqual(kw.json.items.map((p) => p.name), ['赵磊']);
	});
});

describe('subjects', () => {
	test('create an enterprise (201, id), read, update', async () => {
		const u = freshUscc('330282');
		const c = await env.post('/api/v1/subjects', coord, { kind: 'enterprise', name: '慈溪市新创科技有限公司', uscc: u, region: '330282' });
		assert.equal(c.status, 201, c.text);
		assert.ok(c.json.id > 0);
		assert.equal(c.json.uscc, u);
		assert.equal(c.json.region_name, '慈溪市');
		assert.equal(c.json.id_number, null);

		const g = await env.get(`/api/v1/subjects/${c.json.id}`, coord);
		assert.deepEqual(g.json, c.json);

		const p = await env.patch(`/api/v1/subjects/${c.json.id}`, coord, { name: '慈溪市新创科技股份有限公司' });
		assert.equal(p.status, 200, p.text);
		assert.equal(p.json.name, '慈溪市新创科技股份有限公司');
		assert.equal(p.json.uscc, u);
		const log = await env.audit({ entity: 'subject', entity_id: String(c.json.id) });
		assert.deepEqual(log.map((e) => e.action).sort(), ['create', 'update']);
	});

	test('create a natural person: masked in the answer of a list, 201 id', async () => {
		const idn = freshIdNumber('330281');
		const c = await env.post('/api/v1/subjects', coord, { kind: 'person', name: '钱七', id_number: idn, region: '330281' });
		assert.equal(c.status, 201, c.text);
		const list = await env.get('/api/v1/subjects?kind=person&q=' + encodeURIComponent('钱七'), coord);
		assert.equal(list.json.total, 1);
		assert.equal(list.json.items[0].id_number, `${idn.slice(0, 6)}********${idn.slice(-4)}`);
		// A PATCH that does not name the ID number keeps it.
		const p = await env.patch(`/api/v1/subjects/${c.json.id}`, coord, { name: '钱七七' });
		assert.equal(p.status, 200, p.text);
		assert.equal(p.json.id_number, idn);
	});

	test('paging: page, limit, total; pages do not overlap', async () => {
		const all = await env.get('/api/v1/subjects?limit=200', coord);
		const total = all.json.total;
		assert.ok(total >= 7);
		assert.equal(all.json.items.length, total);
		const seen = [];
		const pages = Math.ceil(total / 3);
		for (let page = 1; page <= pages; page++) {
			const r = await env.get(`/api/v1/subjects?limit=3&page=${page}`, coord);
			assert.equal(r.status, 200);
			assert.equal(r.json.total, total);
			assert.equal(r.json.page, page);
			assert.equal(r.json.limit, 3);
			assert.equal(r.json.items.length, page < pages ? 3 : total - 3 * (pages - 1));
			seen.push(...r.json.items.map((x) => x.id));
		}
		assert.deepEqual(seen, all.json.items.map((x) => x.id), 'pages together are the whole list, in order');
		const beyond = await env.get(`/api/v1/subjects?limit=3&page=${pages + 1}`, coord);
		assert.equal(beyond.json.items.length, 0);
		assert.equal(beyond.json.total, total);
		const dflt = await env.get('/api/v1/subjects', coord);
		assert.equal(dflt.json.limit, 20);
		for (const bad of ['limit=0', 'limit=201', 'limit=x', 'page=0', 'page=-1', 'page=1.5'])
			expectError(assert, await env.get(`/api/v1/subjects?${bad}`, coord), 400, 'bad_param');
	});

	test('keyword search q matches names and USCCs; LIKE wildcards are literal', async () => {
		const byName = await env.get('/api/v1/subjects?q=' + encodeURIComponent('兴华'), coord);
		assert.deepEqual(byName.json.items.map((x) => x.name), ['慈溪市兴华供应链管理有限公司']);
		assert.equal(byName.json.total, 1);
		const byUscc = await env.get('/api/v1/subjects?q=9144030071526726XG', coord);
		assert.deepEqual(byUscc.json.items.map((x) => x.name), ['慈溪市海润电器有限公司']);
		const pct = await env.get('/api/v1/subjects?q=%25', coord);
		assert.equal(pct.json.total, 0, '"%" is not a wildcard');
		const none = await env.get('/api/v1/subjects?q=' + encodeURIComponent('不存在的公司'), coord);
		assert.equal(none.json.total, 0);
	});

	test('region filter: county only, the city covers both', async () => {
		const a = await env.get('/api/v1/subjects?region=330282&limit=200', coord);
		assert.ok(a.json.items.length >= 4);
		assert.ok(a.json.items.every((x) => x.region === '330282'), JSON.stringify(a.json.items));
		const b = await env.get('/api/v1/subjects?region=330281&limit=200', coord);
		assert.ok(b.json.items.every((x) => x.region === '330281'));
		const city = await env.get('/api/v1/subjects?region=330200&limit=200', coord);
		assert.equal(city.json.total, a.json.total + b.json.total);
		const kind = await env.get('/api/v1/subjects?region=330282&kind=enterprise&limit=200', coord);
		assert.ok(kind.json.items.every((x) => x.kind === 'enterprise' && x.region === '330282'));
	});

	test('duplicate USCC → 409 conflict (field uscc); duplicate ID number → 409', async () => {
		const dup = await env.post('/api/v1/subjects', coord, { kind: 'enterprise', name: '另一家', uscc: '91152201078377449P', region: '330281' });
		expectError(assert, dup, 409, 'conflict', 'uscc');
		const idn = fixture().find((r) => r.kind === 'person').id_number;
		const dupId = await env.post('/api/v1/subjects', coord, { kind: 'person', name: '冒名', id_number: idn, region: '330282' });
		expectError(assert, dupId, 409, 'conflict', 'id_number');
		assert.ok(!dupId.text.includes(idn), 'the conflict message does not echo the full ID number');
		// A PATCH onto another's USCC conflicts too and changes nothing.
		const mine = await env.idOf('subjects', { q: '9144030071526726XG' });
		expectError(assert, await env.patch(`/api/v1/subjects/${mine}`, coord, { uscc: '91152201078377449P' }), 409, 'conflict', 'uscc');
		assert.equal((await env.get(`/api/v1/subjects/${mine}`, coord)).json.uscc, '9144030071526726XG');
	});

	test('invalid USCC check character → 422 field uscc', async () => {
		const good = freshUscc('330282');
		const last = good.at(-1) === '0' ? '1' : '0';
		const r = await env.post('/api/v1/subjects', coord, { kind: 'enterprise', name: '校验位错误公司', uscc: good.slice(0, 17) + last, region: '330282' });
		expectError(assert, r, 422, 'invalid', 'uscc');
		assert.match(r.json.error.message, /校验位/);
		expectError(assert, await env.post('/api/v1/subjects', coord, { kind: 'enterprise', name: '短码', uscc: '91330282', region: '330282' }), 422, 'invalid', 'uscc');
		expectError(assert, await env.post('/api/v1/subjects', coord, { kind: 'enterprise', name: '无码', region: '330282' }), 422, 'invalid', 'uscc');
	});

	test('invalid ID number → 422 field id_number', async () => {
		const good = idNumber('33028219880808123');
		const bad = good.slice(0, 17) + (good.at(-1) === '0' ? '1' : '0');
		expectError(assert, await env.post('/api/v1/subjects', coord, { kind: 'person', name: '甲', id_number: bad, region: '330282' }), 422, 'invalid', 'id_number');
		const future = idNumber('33028230990101123');
		expectError(assert, await env.post('/api/v1/subjects', coord, { kind: 'person', name: '乙', id_number: future, region: '330282' }), 422, 'invalid', 'id_number');
		expectError(assert, await env.post('/api/v1/subjects', coord, { kind: 'person', name: '丙', region: '330282' }), 422, 'invalid', 'id_number');
		expectError(assert, await env.post('/api/v1/subjects', coord, { kind: 'person', name: '丁', id_number: good, uscc: freshUscc(), region: '330282' }), 422, 'invalid', 'uscc');
	});

	test('unknown field → 400 unknown_field; wrong type → 422; missing required → 422', async () => {
		const ok = { kind: 'enterprise', name: '字段测试公司', uscc: freshUscc(), region: '330282' };
		expectError(assert, await env.post('/api/v1/subjects', coord, { ...ok, phone: '123' }), 400, 'unknown_field', 'phone');
		expectError(assert, await env.post('/api/v1/subjects', coord, { ...ok, type: 'subject' }), 400, 'unknown_field', 'type');
		expectError(assert, await env.post('/api/v1/subjects', coord, { ...ok, name: 123 }), 422, 'invalid', 'name');
		expectError(assert, await env.post('/api/v1/subjects', coord, { ...ok, name: ['a'] }), 422, 'invalid', 'name');
		expectError(assert, await env.post('/api/v1/subjects', coord, { ...ok, region: 330282 }), 422, 'invalid', 'region');
		const { name, ...noName } = ok;
		expectError(assert, await env.post('/api/v1/subjects', coord, noName), 422, 'invalid', 'name');
		expectError(assert, await env.post('/api/v1/subjects', coord, { ...ok, name: '' }), 422, 'invalid', 'name');
		expectError(assert, await env.post('/api/v1/subjects', coord, { ...ok, name: ' 前导空格' }), 422, 'invalid', 'name');
		expectError(assert, await env.post('/api/v1/subjects', coord, { ...ok, name: '控制\u0001字符' }), 422, 'invalid', 'name');
		expectError(assert, await env.post('/api/v1/subjects', coord, { ...ok, name: '长'.repeat(101) }), 422, 'invalid', 'name');
		const { region, ...noRegion } = ok;
		expectError(assert, await env.post('/api/v1/subjects', coord, noRegion), 422, 'invalid', 'region');
		expectError(assert, await env.post('/api/v1/subjects', coord, { ...ok, kind: 'alien' }), 422, 'invalid', 'kind');
		expectError(assert, await env.patch('/api/v1/subjects/1', coord, { colour: 'red' }), 400, 'unknown_field', 'colour');
		expectError(assert, await env.patch('/api/v1/subjects/1', coord, { name: 5 }), 422, 'invalid', 'name');
		// None of it was written.
		const list = await env.get('/api/v1/subjects?q=' + encodeURIComponent('字段测试'), coord);
		assert.equal(list.json.total, 0);
		assert.equal((await env.get('/api/v1/subjects/1', coord)).json.name, '慈溪市兴华供应链管理有限公司');
	});

	test('a missing or malformed id answers 404 not_found', async () => {
		for (const p of ['/api/v1/subjects/999999', '/api/v1/subjects/abc', '/api/v1/subjects/0', '/api/v1/bodies/999999', '/api/v1/people/999999'])
			expectError(assert, await env.get(p, coord), 404, 'not_found');
		expectError(assert, await env.patch('/api/v1/subjects/999999', coord, { name: '无' }), 404, 'not_found');
	});
});

test('export: format=xlsx answers a workbook of the filtered list; audited', async () => {
	const r = await env.get('/api/v1/subjects?format=xlsx&region=330282', coord);
	assert.equal(r.status, 200, r.text.slice(0, 200));
	assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
	assert.equal(r.buf.subarray(0, 2).toString('latin1'), 'PK');
	assert.match(r.headers.get('content-disposition') || '', /attachment/);
	assert.ok(r.buf.length > 1000);
	const exp = await env.audit({ action: 'export', actor: 'coord' });
	assert.ok(exp.length >= 1);
	const count = (await env.get('/api/v1/subjects?region=330282', coord)).json.total;
	assert.equal(JSON.parse(exp[0].detail).rows, count, 'the whole filtered list, not one page');
	for (const res of ['bodies', 'people']) {
		const x = await env.get(`/api/v1/${res}?format=xlsx`, coord);
		assert.equal(x.status, 200);
		assert.equal(x.buf.subarray(0, 2).toString('latin1'), 'PK');
	}
	expectError(assert, await env.get('/api/v1/subjects?format=csv', coord), 400, 'bad_param', 'format');
});

// ---- issue 7, finding 9: no existence oracle across scopes ----

describe('a duplicate outside the caller\'s scope', () => {
	const B_USCC = '91340603MA2UJYNU67';       // 余姚市明远模具有限公司, 330281
	const B_IDN = '330281197806230428';        // 王五, 330281
	const A_USCC = '91152201078377449P';       // 慈溪市兴华供应链管理有限公司, 330282

	test('answers neutrally (no field, no "已登记"), audited with the collision, resolvable by a coordinator over both; in scope it still names the field', async () => {
		await env.addUser({ username: 'probe_a', role: 'department', scope: '330282' });
		const probe = await env.login('probe_a');
		const before = (await env.get('/api/v1/subjects?limit=1', coord)).json.total;

		const r1 = await env.post('/api/v1/subjects', probe, { kind: 'enterprise', name: '探测企业', uscc: B_USCC, region: '330282' });
		const r2 = await env.post('/api/v1/subjects', probe, { kind: 'person', name: '探测个人', id_number: B_IDN, region: '330282' });
		for (const r of [r1, r2]) {
			expectError(assert, r, 409, 'needs_review');
			assert.equal(r.json.error.field, undefined, r.text);
			assert.ok(!r.text.includes('已登记') && !r.text.includes(B_USCC) && !r.text.includes(B_IDN) && !r.text.includes('余姚'), r.text);
		}
		// Both answers are the same text: nothing tells which identifier, or which kind, collided.
		assert.equal(r1.text, r2.text);
		// Within the caller's scope the field is named as before.
		expectError(assert, await env.post('/api/v1/subjects', probe, { kind: 'enterprise', name: '本县重复', uscc: A_USCC, region: '330282' }), 409, 'conflict', 'uscc');
		assert.equal((await env.get('/api/v1/subjects?limit=1', coord)).json.total, before, 'nothing written');

		const refused = (await env.audit({ actor: 'probe_a', entity: 'subject', result: 'refused' }));
		assert.equal(refused.length, 2, JSON.stringify(refused));
		const detail = refused.map((x) => JSON.stringify(x.detail ?? x)).join('\n');
		assert.match(detail, /duplicate_outside_scope/);
		assert.match(detail, /uscc/);
		assert.match(detail, /id_number/);
		assert.ok(!detail.includes(B_IDN), 'no full ID number in the audit');

		// A coordinator over both counties sees them to resolve; the counties' own coordinators do not.
		const city = await env.get('/api/v1/duplicate-reviews', coord);
		assert.equal(city.status, 200, city.text);
		const mine = city.json.items.filter((x) => x.requested_by === 'probe_a');
		assert.deepEqual(mine.map((x) => x.field).sort(), ['id_number', 'uscc']);
		const subjB = await env.idOf('subjects', { q: B_USCC }, coord);
		assert.ok(mine.some((x) => x.existing_id === subjB && x.existing_region === '330281' && x.requested_region === '330282'), city.text);
		for (const u of ['coord_a', 'coord_b']) {
			const r = await env.get('/api/v1/duplicate-reviews', await env.login(u));
			assert.equal(r.status, 200, r.text);
			assert.equal(r.json.total, 0, `${u}: ${r.text}`);
		}
		expectError(assert, await env.get('/api/v1/duplicate-reviews', probe), 403, 'forbidden');
	});

	test('is rate-limited per user (setting duplicate_probe_limit): past it, the user\'s subject writes answer 429, audited', async () => {
		await env.addUser({ username: 'probe_b', role: 'department', scope: '330282' });
		const probe = await env.login('probe_b');
		const other = await env.login('coord_a');
		const limit = 5; // the default
		for (let i = 0; i < limit; i++)
			expectError(assert, await env.post('/api/v1/subjects', probe, { kind: 'enterprise', name: `探测${i}`, uscc: B_USCC, region: '330282' }), 409, 'needs_review');
		// Now even a subject that collides with nothing is refused: the answer no longer depends on the identifier.
		const fresh = { kind: 'enterprise', name: '正常企业', uscc: freshUscc('330282'), region: '330282' };
		expectError(assert, await env.post('/api/v1/subjects', probe, fresh), 429, 'rate_limited');
		expectError(assert, await env.post('/api/v1/subjects', probe, { ...fresh, uscc: B_USCC }), 429, 'rate_limited');
		const limited = await env.audit({ actor: 'probe_b', result: 'refused' });
		assert.ok(limited.some((x) => JSON.stringify(x).includes('暂停登记')), JSON.stringify(limited.slice(0, 3)));
		// Another user is not affected.
		assert.equal((await env.post('/api/v1/subjects', other, fresh)).status, 201);
		const s = await env.fazhi(['settings', 'set', 'duplicate_probe_limit', '0', '--db', env.uri]);
		assert.notEqual(s.code, 0, 'the limit cannot be switched off');
	});
});

test('a subject is labelled by what its code says: 企业, 个体工商户, 农民专业合作社, 自然人', async () => {
	const made = [];
	for (const [prefix, label] of [['91', '企业'], ['92', '个体工商户'], ['93', '农民专业合作社']]) {
		const code = uscc(`${prefix}330282${String(Date.now() % 1e9).padStart(9, '0')}`.slice(0, 17));
		const r = await env.post('/api/v1/subjects', coord, { kind: 'enterprise', name: `类型标注测试${label}`, uscc: code, region: '330282' });
		assert.equal(r.status, 201, r.text);
		assert.equal(r.json.kind_label, label);
		made.push([r.json.id, label]);
	}
	const list = await env.get('/api/v1/subjects?q=类型标注测试&limit=20', coord);
	for (const [id, label] of made) assert.equal(list.json.items.find((x) => x.id === id)?.kind_label, label);
});

test('certificates about to expire are marked and filterable (setting cert_expiry_warn_days)', async () => {
	const mk = async (name, no, until, status = 'active') => {
		const r = await env.post('/api/v1/people', coord, { name, body: 'B330282-ZHZF', title: '执法队员', cert_no: no,
			cert_issuer: '浙江省人民政府', cert_valid_from: '2020-01-01', cert_valid_until: until, cert_status: status });
		assert.equal(r.status, 201, r.text);
		return r.json;
	};
	const today = todayCst();
	const soon = await mk('到期提示甲', '33028200901', addDays(today, 10));
	const later = await mk('到期提示乙', '33028200902', addDays(today, 200));
	const past = await mk('到期提示丙', '33028200903', addDays(today, -1));
	assert.equal(soon.cert_expiring, true);
	assert.equal(later.cert_expiring, false);
	assert.equal(past.cert_expiring, false, 'expired is not expiring');
	const ids = async (cert) => (await env.get(`/api/v1/people?cert=${cert}&q=到期提示&limit=50`, coord)).json.items.map((x) => x.id);
	assert.deepEqual(await ids('expiring'), [soon.id]);
	assert.deepEqual(await ids('expired'), [past.id]);
	expectError(assert, await env.get('/api/v1/people?cert=soonish', coord), 400, 'bad_param', 'cert');
});
