// scope_routes.test.mjs — scope on every path, generated from the router's
// own table (`fazhi routes --json`): every GET route × every role × a
// region-scoped and a body-scoped user × another scope's ids and query
// parameters. The other scope's objects carry a unique marker in their
// names, titles, file names and contents; no answer (JSON, file, or .xlsx
// export unzipped) may contain it. A route added later is covered without
// editing this file: its path parameters are filled from the ids of the
// collection named before them (or from every id the test made), and every
// query variant below is tried on it.
//
// Two markers: MR on objects of another county (330281, outside both test
// users' region 330282), MB on objects of another body inside 330282
// (outside the body-scoped users' body B330282-SCJG only).
//
// Decided per route (docs/api.md, "Scope"): routes that only the three
// administrators may call (accounts, audit log) are installation-wide by
// design and not checked here; evaluation figures (live, compare, stored
// runs, manual scores, evidence) belong to regions, not bodies, so a
// body-scoped user sees its region's, never another region's; drill-down
// and everything else that lists records, bodies, people or assignments is
// limited to the user's bodies.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';

import { addDays, BIN, defaultUsers, freshIdNumber, freshUscc, run, setup, todayCst, unzip } from './harness.mjs';

const today = todayCst();
const Y = today.slice(0, 4);
const MR = 'QXR' + randomBytes(4).toString('hex').toUpperCase(); // another county
const MB = 'QXB' + randomBytes(4).toString('hex').toUpperCase(); // another body in the same county
const OWN = '330282', OTHER = '330281', OTHER_TOWN = '330281001';
const OWN_BODY = 'B330282-SCJG';

let env, table, coord;
const users = [];   // {username, role, kind: 'region'|'body', markers: [..]}
const pools = {};   // collection name → ids of the other scopes' objects
const registers = [];

const PDF = (text) => Buffer.from(`%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Title (${text}) >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`, 'latin1');

function pool(name, id) {
	(pools[name] ||= []).push(id);
}

async function ok(r, what) {
	assert.ok(r.status === 200 || r.status === 201, `${what}: ${r.status} ${r.text}`);
	return r.json;
}

/** The other scopes' objects, made by the whole-installation coordinator (and coord_b). */
async function makeOtherScopes() {
	const ev = await env.login('evaluator');
	const coordB = await env.login('coord_b');
	// Another county: a township, a body, a person, subjects, records, an assignment, evidence, a score, a run.
	await ok(await env.post('/api/v1/regions', coord, { code: OTHER_TOWN, name: `${MR}镇`, parent: OTHER }), 'region');
	const bodies = [
		{ marker: MR, code: `BX-${MR}`, region: OTHER, parent: 'B330281-GOV' },
		{ marker: MB, code: `BA-${MB}`, region: OWN, parent: 'B330282-GOV' },
	];
	for (const b of bodies) {
		const body = await ok(await env.post('/api/v1/bodies', coord, { code: b.code, name: `${b.marker}局`, kind: 'department', region: b.region, parent: b.parent }), 'body');
		pool('bodies', body.id);
		const person = await ok(await env.post('/api/v1/people', coord, { name: `${b.marker}人员`, body: b.code, title: `${b.marker}职务` }), 'person');
		pool('people', person.id);
		const prop = await ok(await env.post('/api/v1/registers/proposal/records', coord, {
			body: b.code, start_date: today,
			data: { kind: '人大代表建议', number: `${b.marker}-1`, title: `${b.marker}建议`, proposer: `${b.marker}代表` },
		}), 'proposal');
		pool('records', prop.id);
		const rect = await ok(await env.post('/api/v1/registers/rectification/records', coord, {
			body: b.code, start_date: today, data: { source: '其他', issue: `${b.marker}整改问题`, deadline: addDays(today, 30) },
		}), 'rectification');
		pool('records', rect.id);
		const asg = await ok(await env.post('/api/v1/assignments', coord, { indicator: '7.27.1', body: b.code, role: 'lead', due_date: addDays(today, 10) }), 'assignment');
		pool('assignments', asg.id);
	}
	for (const s of [
		{ kind: 'enterprise', name: `${MR}企业`, uscc: freshUscc(OTHER), region: OTHER },
		{ kind: 'person', name: `${MR}个人`, id_number: freshIdNumber(OTHER), region: OTHER_TOWN },
	])
		pool('subjects', (await ok(await env.post('/api/v1/subjects', coord, s), 'subject')).id);
	// Evaluation objects of the other county's township.
	const q = new URLSearchParams({ indicator: '7.27.1', region: OTHER_TOWN, period: Y, filename: `${MR}.pdf` });
	const evd = await ok(await env.req('POST', `/api/v1/evidence?${q}`, { sess: coord, body: PDF(MR), contentType: 'application/pdf' }), 'evidence');
	pool('evidence', evd.id);
	await ok(await env.req('PUT', '/api/v1/evaluation/manual-scores', { sess: ev, body: { indicator: '1.2.1', region: OTHER_TOWN, period: Y, score: 1, comment: `${MR}评语` } }), 'score');
	pool('evaluations', (await ok(await env.post('/api/v1/evaluations', coord, { region: OTHER_TOWN, period: Y }), 'run')).id);
	// A duplicate asked for from the other county (its review names the marker).
	const r = await env.post('/api/v1/subjects', coordB, { kind: 'enterprise', name: `${MR}重复`, uscc: '91152201078377449P', region: OTHER });
	assert.equal(r.status, 409, r.text);
}

before(async () => {
	env = await setup();
	coord = await env.login('coord');
	const routes = await run(BIN, ['routes', '--json']);
	assert.equal(routes.code, 0, routes.stderr);
	const roles = await run(BIN, ['roles', '--json']);
	assert.equal(roles.code, 0, roles.stderr);
	table = { routes: JSON.parse(routes.stdout), roles: JSON.parse(roles.stdout).roles };
	// Every role, scoped to a county and to one body of it. An administrator
	// role the installation refuses to scope is installation-wide by design:
	// it is reported, not checked; a business role must take both scopes.
	for (const role of table.roles) {
		for (const kind of ['region', 'body']) {
			const username = `${role.name}_${kind}`;
			try {
				await env.addUser({ username, role: role.name, scope: OWN, bodies: kind === 'body' ? [OWN_BODY] : [] });
			} catch (e) {
				if (!role.admin) throw e;
				console.log(`# ${username}: administrator role not scoped by this installation (${e.message.split('\n')[0]})`);
				continue;
			}
			users.push({ username, role: role.name, kind, admin: role.admin, markers: kind === 'body' ? [MR, MB] : [MR] });
		}
	}
	assert.ok(users.filter((u) => !u.admin).length >= 10, 'every business role, twice');
	for (const r of (await env.get('/api/v1/registers', coord)).json.items) registers.push(r.name);
	await makeOtherScopes();
});
after(async () => { await env?.close(); });

const adminRoles = () => new Set(table.roles.filter((r) => r.admin).map((r) => r.name));

/** The GET routes a scope applies to: not public, reachable by some business role. */
function scopedRoutes() {
	const admin = adminRoles();
	return table.routes.filter((r) => r.method === 'GET' && !r.flags.includes('public') &&
		r.roles.some((x) => !admin.has(x)));
}

/** Values for path parameter `name` following collection `coll`. */
function paramValues(name, coll) {
	if (name === 'reg') return registers;
	if (name === 'code') return [OTHER_TOWN, OTHER];
	if (coll === 'registers' || coll === 'records') return pools.records;
	if (pools[coll]) return pools[coll];
	return [...new Set(Object.values(pools).flat())]; // a collection this test does not know: every id
}

/** Every concrete path of a pattern. */
function expand(pattern) {
	const segs = pattern.split('/');
	let paths = [''];
	for (let i = 1; i < segs.length; i++) {
		const m = /^\{(\w+)\}$/.exec(segs[i]);
		const vals = m ? paramValues(m[1], segs[i - 1]) : [segs[i]];
		paths = paths.flatMap((p) => vals.map((v) => `${p}/${encodeURIComponent(v)}`));
	}
	return paths;
}

/** Query variants: the other scope named by every parameter a handler may read. */
function variants(hasParams) {
	const base = { period: Y, limit: '200', metric: 'proposal.received' };
	if (hasParams) return [base, { ...base, format: 'xlsx' }];
	const otherBodies = pools.bodies;
	return [
		base,
		{ ...base, format: 'xlsx' },
		{ ...base, region: OTHER }, { ...base, region: OTHER, format: 'xlsx' },
		{ ...base, region: OTHER_TOWN }, { ...base, region: OTHER_TOWN, indicator: '7.27.1' },
		{ ...base, region: OTHER_TOWN, indicator: '1.2.1' },
		{ ...base, region: '330200' }, { ...base, region: '330200', format: 'xlsx' }, { ...base, region: '330000' },
		{ ...base, region: OWN }, { ...base, region: OWN, format: 'xlsx' },
		{ ...base, metric: 'rectification.total' }, { ...base, metric: 'rectification.total', region: OWN },
		...otherBodies.map((b) => ({ ...base, body: String(b) })),
		...otherBodies.map((b) => ({ ...base, parent: String(b) })),
		{ ...base, q: MR }, { ...base, q: MB }, { ...base, q: '%' },
	];
}

/** The answer's text, with an .xlsx unzipped. */
function answerText(r) {
	const type = r.headers.get('content-type') || '';
	if (type.includes('spreadsheetml')) {
		const files = unzip(r.buf);
		return Object.values(files).map((b) => b.toString('utf8')).join('\n');
	}
	return r.text;
}

test('the route table lists every GET route the API serves, with its roles', () => {
	const get = table.routes.filter((r) => r.method === 'GET').map((r) => r.path);
	for (const p of ['/api/v1/bodies', '/api/v1/evaluation/drill', '/api/v1/board', '/api/v1/registers/{reg}/records/{id}'])
		assert.ok(get.includes(p), p);
	assert.ok(table.roles.length >= 8);
	for (const r of table.routes) {
		assert.match(r.method, /^(GET|POST|PUT|PATCH|DELETE)$/);
		assert.ok(Array.isArray(r.roles) && Array.isArray(r.flags) && typeof r.permission === 'string');
	}
});

test('the markers are there to be found: the whole installation sees both, the county sees its own body\'s', async () => {
	const all = await env.get('/api/v1/bodies?limit=200', coord);
	assert.ok(all.text.includes(MR) && all.text.includes(MB));
	const county = await env.get('/api/v1/bodies?limit=200', await env.login('coord_a'));
	assert.ok(county.text.includes(MB) && !county.text.includes(MR));
	for (const name of ['records', 'assignments', 'evidence', 'evaluations', 'subjects', 'people'])
		assert.ok(pools[name]?.length, `made some ${name}`);
});

test('every GET route × every role × a region- and a body-scoped user × the other scopes\' ids and parameters: nothing outside the scope', async () => {
	const routes = scopedRoutes();
	assert.ok(routes.length >= 20, `routes: ${routes.length}`);
	const leaks = [];
	let checked = 0;
	for (const u of users) {
		let sess;
		try {
			sess = await env.login(u.username);
		} catch (e) {
			throw new Error(`${u.username}: cannot log in (${e.message})`);
		}
		for (const route of routes) {
			const paths = expand(route.path);
			const vs = variants(route.path.includes('{'));
			for (const path of paths) {
				for (const v of vs) {
					const url = `${path}?${new URLSearchParams(v)}`;
					const r = await env.get(url, sess);
					checked++;
					if (r.status >= 500) leaks.push(`${u.username} GET ${url}: ${r.status} ${r.text.slice(0, 200)}`);
					const text = answerText(r);
					for (const m of u.markers)
						if (text.includes(m)) leaks.push(`${u.username} (${u.kind}) GET ${url}: ${m === MR ? 'another county' : 'another body'}: ${text.slice(0, 300)}`);
				}
			}
		}
	}
	assert.ok(checked > 1000, `requests: ${checked}`);
	assert.deepEqual(leaks.slice(0, 20), [], `${leaks.length} answers outside the scope`);
});

test('a body-scoped user\'s drill-down, board and record lists hold only its body', async () => {
	const dept = await env.login('department_body');
	for (const url of [`/api/v1/evaluation/drill?metric=rectification.total&region=${OWN}&period=${Y}`,
		`/api/v1/board?region=${OWN}`, '/api/v1/registers/rectification/records?limit=200', '/api/v1/assignments?limit=200']) {
		const r = await env.get(url, dept);
		assert.equal(r.status, 200, `${url}: ${r.text}`);
		for (const it of r.json.items)
			assert.ok(!it.body_name || it.body_name === '慈溪市市场监督管理局', `${url}: ${JSON.stringify(it)}`);
	}
	// The region-scoped user of the same county sees the other body.
	const r = await env.get(`/api/v1/evaluation/drill?metric=rectification.total&region=${OWN}&period=${Y}`, await env.login('department_region'));
	assert.ok(r.json.items.some((x) => x.body_name === `${MB}局`), r.text);
});
