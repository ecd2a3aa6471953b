// laws.test.mjs — the law library and its public search (docs/laws.md):
// `fazhi laws import DIR` reads a folder of law files, each all or nothing,
// reporting files imported, refused (with the reason) and skipped, and a
// second run changes nothing; GET /api/v1/public/laws (no login) finds a
// two-character word in titles and articles with the match marked (the
// text escaped first), filters by level, status and dates with facet
// counts, pages; GET /api/v1/public/laws/{id} gives every version with its
// status and the articles of the one asked for; bad input is 422 naming the
// parameter. Runs on both backends.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { expectError, setup } from './harness.mjs';

let env, dir;

const law = (title, events, articles) =>
	`# ${title}\n\n${events.join('\n\n')}\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n${articles.join('\n\n')}\n`;
const cn = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const num = (n) => (n <= 10 ? cn[n - 1] : n < 20 ? `十${cn[n - 11]}` : `${cn[Math.floor(n / 10) - 1]}十${n % 10 ? cn[n % 10 - 1] : ''}`);

function files() {
	const put = (rel, text) => {
		mkdirSync(join(dir, rel, '..'), { recursive: true });
		writeFileSync(join(dir, rel), text);
	};
	put('法律/测试复议法(2017-09-01).md', law('中华人民共和国测试复议法',
		['1999年4月29日 第九届全国人民代表大会常务委员会第九次会议通过', '2017年9月1日 第十二届全国人民代表大会常务委员会第二十九次会议第二次修正'],
		['第一条 为了防止和纠正违法的具体行政行为，制定本法。', '第九条 申请人可以自知道该具体行政行为之日起六十日内提出行政复议申请。']));
	put('法律/测试复议法(2023-09-01).md', law('中华人民共和国测试复议法',
		['1999年4月29日 第九届全国人民代表大会常务委员会第九次会议通过', '2023年9月1日 第十四届全国人民代表大会常务委员会第五次会议修订'],
		['第一条 为了防止和纠正违法的或者不当的行政行为，制定本法。', '第二十条 可以自知道该行政行为之日起六十日内提出行政复议申请。',
			'第二十一条 复议材料中的<script>alert(1)</script>照录。']));
	// 25 articles that all say 听证: two pages
	put('行政法规/测试听证条例(2020-01-01).md', law('测试听证条例', ['2020年1月1日 中华人民共和国国务院令第1号公布'],
		Array.from({ length: 25 }, (_, i) => `第${num(i + 1)}条 第${i + 1}项听证规则。`)));
	put('法律/坏文件(2020-01-01).md', '# 坏文件\n\n2020年1月1日 通过\n\n第一条 没有 INFO END。\n');
	put('案例/某案.md', law('某案', ['2020年1月1日 判决'], ['第一条 不是法律。']));
	put('法律/_index.md', '---\nbookCollapseSection: true\n---\n');
}

before(async () => {
	env = await setup({ fixture: false, users: [], serve: false });
	dir = join(env.dir, 'laws');
	files();
	await env.start();
});
after(async () => { await env?.close(); });

const search = async (query) => {
	const r = await env.get(`/api/v1/public/laws?${new URLSearchParams(query)}`);
	assert.equal(r.status, 200, r.text);
	return r.json;
};

test('import: each file all or nothing, refusals with the reason, 案例 skipped; a second run is unchanged', async () => {
	const r = await env.fazhi(['laws', 'import', dir, '--db', env.uri]);
	assert.equal(r.code, 0, r.stderr);
	assert.match(r.stdout, /拒绝 法律\/坏文件\(2020-01-01\)\.md：缺少 <!-- INFO END --> 标记/);
	assert.match(r.stdout, /跳过 案例\/某案\.md 等：案例不是法律法规/);
	assert.match(r.stdout, /文件 5，导入 3，未变 0，拒绝 1，跳过 1；库中版本 3，条文 30/);
	assert.equal(Number(await env.sql("SELECT COUNT(*) FROM laws WHERE title = '坏文件'")), 0);
	const audit = (await env.sql("SELECT action, detail FROM audit_log WHERE entity = 'law'")).trim();
	assert.match(audit, /^import\|.*"imported":3.*"refused":1/, audit);
	const again = await env.fazhi(['laws', 'import', dir, '--db', env.uri]);
	assert.match(again.stdout, /导入 0，未变 3，拒绝 1/);
	assert.equal(Number(await env.sql('SELECT COUNT(*) FROM law_articles')), 30);
	assert.equal((await env.sql("SELECT level FROM laws WHERE title = '测试听证条例'")).trim(), '行政法规');
	assert.equal((await env.sql("SELECT body FROM laws WHERE title = '测试听证条例'")).trim(), '中华人民共和国国务院');
});

test('search without login: a two-character word in titles and articles, marked, the text escaped', async () => {
	const r = await search({ q: '复议' });
	// the two versions' titles, 第九条 (2017), 第二十条 and 第二十一条 (2023)
	assert.equal(r.total, 5, JSON.stringify(r));
	assert.equal(r.items[0].article, null); // a title ranks first
	assert.match(r.items[0].snippet, /测试<mark>复议<\/mark>法/);
	const art = r.items.find((i) => i.article?.label === '第二十条');
	assert.ok(art, JSON.stringify(r.items));
	assert.equal(art.status, '现行有效');
	assert.equal(art.level, '法律');
	assert.equal(art.body, '全国人民代表大会常务委员会');
	assert.equal(art.adopted, '1999-04-29');
	assert.match(art.snippet, /提出行政<mark>复议<\/mark>申请/);
	const script = r.items.find((i) => i.article?.label === '第二十一条');
	assert.equal(script.snippet, '<mark>复议</mark>材料中的&lt;script&gt;alert(1)&lt;/script&gt;照录。');
	// one character, also where it ends a run: 测试复议法 (both titles), 违法的 and 本法。 (both 第一条)
	assert.equal((await search({ q: '法' })).total, 4);
	// a phrase is consecutive: 行政复议申请 is in two articles, 申请复议 in none
	assert.equal((await search({ q: '行政复议申请' })).total, 2);
	assert.equal((await search({ q: '申请复议' })).total, 0);
	// two words, both required
	assert.equal((await search({ q: '复议 六十日' })).total, 2);
});

test('filters, facets for the query, paging', async () => {
	let r = await search({ q: '复议', status: '已修改' });
	assert.equal(r.total, 2); // the 2017 version: its title and 第九条
	assert.deepEqual([r.facets.status['现行有效'], r.facets.status['已修改']], [3, 2]);
	assert.equal(r.facets.level['法律'], 2);
	r = await search({ q: '听证' });
	assert.equal(r.total, 26); // 25 articles and the title
	assert.equal(r.items.length, 20);
	assert.equal(r.facets.level['行政法规'], 26);
	const page2 = await search({ q: '听证', page: '2' });
	assert.equal(page2.items.length, 6);
	const seen = new Set([...r.items, ...page2.items].map((i) => `${i.version_id}:${i.article?.number}`));
	assert.equal(seen.size, 26);
	assert.equal((await search({ q: '听证', level: '法律' })).total, 0);
	assert.equal((await search({ level: '行政法规' })).total, 1); // no q: the versions
	assert.equal((await search({ from: '2021-01-01' })).total, 1);
	assert.equal((await search({ from: '2017-01-01', to: '2020-12-31' })).total, 2);
	assert.equal((await search({ q: '复议', body: '国务院' })).total, 0);
	assert.equal((await search({ q: '听证', body: '国务院' })).total, 26);
});

test('a law: every version with its status, the articles of the one asked for', async () => {
	const hit = (await search({ q: '测试复议法' })).items[0];
	const r = await env.get(`/api/v1/public/laws/${hit.law_id}`);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.title, '中华人民共和国测试复议法');
	assert.equal(r.json.status, '现行有效');
	assert.deepEqual(r.json.versions.map((v) => [v.version_date, v.status, v.articles]),
		[['2017-09-01', '已修改', 2], ['2023-09-01', '现行有效', 3]]);
	assert.deepEqual(r.json.version.articles.map((a) => a.label), ['第一条', '第二十条', '第二十一条']);
	assert.equal(r.json.version.articles[0].chapter, '第一章 总则');
	const old = await env.get(`/api/v1/public/laws/${hit.law_id}?version=${r.json.versions[0].id}`);
	assert.deepEqual(old.json.version.articles.map((a) => a.label), ['第一条', '第九条']);
	const other = (await search({ q: '听证条例' })).items[0];
	expectError(assert, await env.get(`/api/v1/public/laws/${hit.law_id}?version=${other.version_id}`), 404, 'not_found');
	expectError(assert, await env.get('/api/v1/public/laws/999999'), 404, 'not_found');
});

test('bad input: 422 naming the parameter', async () => {
	const bad = [
		[{ q: '法'.repeat(101) }, 'q'], [{ q: '。，' }, 'q'], [{ level: '条例' }, 'level'], [{ status: '有效' }, 'status'],
		[{ from: '2020-13-01' }, 'from'], [{ to: '20200101' }, 'to'], [{ from: '2021-01-01', to: '2020-01-01' }, 'to'],
		[{ page: '0' }, 'page'], [{ page: '501' }, 'page'], [{ page: 'x' }, 'page'],
	];
	for (const [query, field] of bad) {
		const r = await env.get(`/api/v1/public/laws?${new URLSearchParams(query)}`);
		expectError(assert, r, 422, 'invalid', field);
		assert.match(r.json.error.message, /[\u4e00-\u9fff]/);
	}
});
