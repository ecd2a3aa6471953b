// draws.test.mjs — 双随机 draws (docs/draws.md): a fresh demo holds one
// run draw whose seed's SM3 was committed first; `fazhi draw verify`
// re-runs every draw from its revealed seed and exits 0; a changed stored
// result or a revealed seed that is not the committed one makes it exit
// non-zero naming the draw. GET /api/v1/public/draws (no login) publishes
// each draw's spec and seed hash, and once run its seed and the number
// drawn; GET /api/v1/public/draws/{id} its result.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setup } from './harness.mjs';

let env;
before(async () => {
	env = await setup({ fixture: false, users: [], serve: false });
	const demo = await env.fazhi(['demo', '--db', env.uri, '--enterprises', '300', '--persons', '20', '--officers', '300']);
	assert.equal(demo.code, 0, demo.stderr);
	await env.start();
});
after(async () => { await env?.close(); });

const verify = (...more) => env.fazhi(['draw', 'verify', '--db', env.uri, ...more]);

test('a fresh demo has a run draw with most enterprises graded A or B', async () => {
	const row = (await env.sql('SELECT id, population, length(seed_hash), revealed_at IS NOT NULL FROM draws')).trim();
	const [id, population, hashLen, revealed] = row.split('|');
	assert.equal(id, '1');
	assert.equal(Number(population), 300);
	assert.equal(hashLen, '64');
	assert.ok(['1', 't', 'true'].includes(revealed), row);
	assert.equal(Number(await env.sql('SELECT COUNT(*) FROM draw_picks WHERE draw_id = 1')), 20);
	assert.equal(Number(await env.sql('SELECT COUNT(*) FROM draw_picks WHERE inspector1 = inspector2')), 0);
	const ab = Number(await env.sql("SELECT COUNT(*) FROM subjects WHERE kind = 'enterprise' AND credit_grade IN ('A', 'B')"));
	const cd = Number(await env.sql("SELECT COUNT(*) FROM subjects WHERE kind = 'enterprise' AND credit_grade IN ('C', 'D')"));
	assert.ok(ab > 5 * cd && cd > 0, `${ab} ${cd}`);
});

test('the public list (no login): spec, seed hash, and once run the seed; one draw shows each enterprise with two officers', async () => {
	const r = await env.get('/api/v1/public/draws');
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.total, 1);
	const d = r.json.items[0];
	assert.equal(d.id, 1);
	assert.match(d.seed_hash, /^[0-9a-f]{64}$/);
	assert.equal(d.seed_hash, (await env.sql('SELECT seed_hash FROM draws WHERE id = 1')).trim());
	assert.equal(d.seed, (await env.sql('SELECT seed FROM draws WHERE id = 1')).trim());
	assert.equal(d.spec.sample, 20);
	assert.equal(d.spec.weights.length, 5);
	assert.equal(d.population, 300);
	assert.equal(d.picks_total, 20);
	assert.equal(d.picks, undefined);
	const one = (await env.get('/api/v1/public/draws/1')).json;
	assert.equal(one.seed, d.seed);
	assert.equal(one.picks.total, 20);
	assert.equal(one.picks.items.length, 20);
	for (const p of one.picks.items) {
		assert.ok(p.enterprise && /^[0-9A-Z]{18}$/.test(p.uscc), JSON.stringify(p));
		assert.equal(p.inspectors.length, 2);
		for (const i of p.inspectors) assert.ok(i.name && i.cert_no, JSON.stringify(p));
	}
	assert.equal((await env.get('/api/v1/public/draws?page=2')).json.items.length, 0);
	assert.equal((await env.get('/api/v1/public/draws?page=x')).status, 400);

	// a draw not yet run shows its seed hash, never its seed
	await env.sql(`INSERT INTO draws(body_id, region_code, region_path, title, spec, seed_hash, seed, created_at)
		SELECT body_id, region_code, region_path, '待抽取', spec, 'ab', 'secret-seed', 1 FROM draws WHERE id = 1`);
	const two = (await env.get('/api/v1/public/draws')).json;
	assert.equal(two.total, 2);
	assert.equal(two.items[0].title, '待抽取');
	assert.equal(two.items[0].seed_hash, 'ab');
	assert.equal(two.items[0].seed, null);
	assert.equal(two.items[0].picks_total, 0);
	assert.ok(!JSON.stringify(two).includes('secret-seed'));
	assert.match((await verify()).stdout, /共核验 1 次抽查，全部一致/); // the draw not run is not counted
});

test('`fazhi draw verify` reproduces the result, and refuses a tampered one naming the draw', async () => {
	let r = await verify();
	assert.equal(r.code, 0, r.stdout + r.stderr);
	assert.match(r.stdout, /抽查 1：重新抽取 20 家企业及其执法检查人员，与记录一致/);
	r = await verify('--draw', '1');
	assert.equal(r.code, 0, r.stdout + r.stderr);

	const last = 'SELECT MAX(subject_id) FROM draw_picks';
	const was = (await env.sql(last)).trim();
	const other = (await env.sql(`SELECT MIN(id) FROM subjects WHERE kind = 'enterprise' AND id NOT IN (SELECT subject_id FROM draw_picks)`)).trim();
	await env.sql(`UPDATE draw_picks SET subject_id = ${other} WHERE subject_id = ${was}`);
	r = await verify();
	assert.notEqual(r.code, 0);
	assert.match(r.stdout, /抽查 1 不一致：/);
	await env.sql(`UPDATE draw_picks SET subject_id = ${was} WHERE subject_id = ${other}`);
	assert.equal((await verify()).code, 0);

	await env.sql("UPDATE draws SET seed = 'chosen-afterwards' WHERE id = 1");
	r = await verify('--draw', '1');
	assert.notEqual(r.code, 0);
	assert.match(r.stdout, /抽查 1 不一致：公开的种子与事先公布的种子哈希不符/);

	r = await verify('--draw', 'x');
	assert.equal(r.code, 2);
});
