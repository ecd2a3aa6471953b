// scan.test.mjs — the 入企码's scan route GET /c/{token} (no login):
// `fazhi qr make` signs a token (and writes its SVG) that the server
// accepts; every other path under /c/ — forged (one flipped character),
// truncated, expired (signed here with the store's key file), malformed,
// 4,000 characters, extra segments, "..", percent-encoding, another method
// — answers a 4xx Chinese HTML page with its own message, never the
// console, never JSON, never a 5xx. A valid token with no domain hook
// registered answers 404 "未找到对应的检查记录".
import assert from 'node:assert/strict';
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { PG, setup } from './harness.mjs';

let env, token;

before(async () => {
	env = await setup({ fixture: false, users: [] });
	const r = await env.mustFazhi(['qr', 'make', '--db', env.uri, '--record', '12', '--subject', '34', '--days', '2',
		'--svg', join(env.dir, 'code.svg'), '--url-base', 'https://fazhi.example.gov.cn']);
	token = r.stdout.trim();
});
after(() => env?.close());

// The page every refusal must be: 4xx, HTML in UTF-8, Chinese, no JSON, not the console.
function assertPage(r, status, message, what) {
	assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 200)}`);
	assert.equal(r.headers['content-type'], 'text/html; charset=utf-8', what);
	assert.match(r.text, /^<!doctype html><html lang="zh-CN">/, what);
	assert.ok(r.text.includes(message), `${what}: ${message} not in ${r.text.slice(0, 300)}`);
	assert.ok(r.text.includes('12345'), `${what}: how to complain`);
	assert.ok(!r.text.includes('<script'), what);
	assert.ok(!/^\s*[{[]/.test(r.text), what);
}

// A token with the store's key, as qr_token.h lays it out, for an expiry
// the CLI will not make (yesterday).
function signed({ version = 1, kind = 1, record = 12n, subject = 34n, expires }) {
	const b = Buffer.alloc(84);
	b[0] = version;
	b[1] = kind;
	b.writeBigUInt64BE(record, 2);
	b.writeBigUInt64BE(subject, 10);
	b.writeUInt16BE(expires, 18);
	const keyFile = PG ? join(env.dir, 'fazhi.qr-sign.pem') : `${env.dbPath}.qr-sign.pem`;
	sign(null, b.subarray(0, 20), createPrivateKey(readFileSync(keyFile))).copy(b, 20);
	return b.toString('base64url');
}
const today = () => Math.floor((Date.now() + 8 * 3600e3) / 86400e3);

test('fazhi qr make: a 112-character token, its SVG, an audit entry', async () => {
	assert.match(token, /^[A-Za-z0-9_-]{112}$/);
	const svg = readFileSync(join(env.dir, 'code.svg'), 'utf8');
	assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
	// the token is the store's: the same layout signed here verifies the same
	assert.equal(signed({ expires: today() + 1 }), token);
	const audited = await env.sql("SELECT entity, entity_id FROM audit_log WHERE action = 'qr_make'");
	assert.match(audited, /qr_token.12/);
	const bad = await env.fazhi(['qr', 'make', '--db', env.uri, '--record', '12', '--subject', '34']);
	assert.equal(bad.code, 2);
	const r = await env.fazhi(['qr', 'make', '--db', env.uri, '--record', '0', '--subject', '34', '--days', '1']);
	assert.equal(r.code, 2);
});

test('a valid token, no inspection register yet: 404 未找到对应的检查记录', async () => {
	for (const method of ['GET', 'HEAD']) {
		const r = await env.raw(method, `/c/${token}`);
		assert.equal(r.status, 404, method);
		assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
		assert.equal(r.headers['cache-control'], 'no-store');
	}
	assertPage(await env.raw('GET', `/c/${token}`), 404, '未找到对应的检查记录', 'valid');
	// and again, from the cache of verified tokens
	assertPage(await env.raw('GET', `/c/${token}?x=1`), 404, '未找到对应的检查记录', 'valid, cached');
});

test('forged, truncated, expired: each its own page', async () => {
	const flipped = token.slice(0, 60) + (token[60] === 'A' ? 'B' : 'A') + token.slice(61);
	assertPage(await env.raw('GET', `/c/${flipped}`), 403, '可能被伪造或篡改', 'forged');
	assertPage(await env.raw('GET', `/c/${signed({ kind: 1, record: 13n, expires: today() + 1 }).slice(0, 20)}${token.slice(20)}`),
		403, '可能被伪造或篡改', 'spliced');
	for (const n of [1, 40, 111])
		assertPage(await env.raw('GET', `/c/${token.slice(0, n)}`), 404, '可能在复制或识别时被截断', `truncated ${n}`);
	assertPage(await env.raw('GET', `/c/${signed({ expires: today() - 1 })}`), 410, '已超过有效期', 'expired');
	assertPage(await env.raw('GET', `/c/${signed({ expires: today() })}`), 404, '未找到对应的检查记录', 'last day');
	assertPage(await env.raw('GET', `/c/${signed({ version: 2, expires: today() + 1 })}`), 404, '不是有效的入企码',
		'version 2');
});

test('every other shape under /c/: a 4xx Chinese page, never the console or JSON', async () => {
	const long = 'A'.repeat(4000);
	const paths = [
		'/c', '/c/', '/c//', `/c/${token}/`, `/c/${token}/x`, `/c//${token}`, `/c/${token}A`, `/c/${long}`,
		`/c/${long.slice(0, 3000)}/${long.slice(0, 900)}`, '/c/..', '/c/../api/v1/system', '/c/../index.html',
		`/c/../c/${token}`, '/c/%2e%2e/%2e%2e/etc/passwd', '/c/%00', `/c/${encodeURIComponent('入企码')}`,
		'/c/%ZZ', '/c/a%2Fb', `/c/${token.slice(0, 50)}%2F${token.slice(51)}`, '/c/index.html', '/c/.',
		'/c/x.js', '/c/%3Cscript%3E', '/c/~', "/c/'\"<>",
	];
	for (const p of paths) {
		const r = await env.raw('GET', p);
		assert.ok(r.status >= 400 && r.status < 500, `${p.slice(0, 60)}: ${r.status}`);
		assert.equal(r.headers['content-type'], 'text/html; charset=utf-8', p.slice(0, 60));
		assert.match(r.text, /入企码/, p.slice(0, 60));
		assert.ok(!r.text.includes('<script'), p.slice(0, 60));
		assert.ok(!r.text.includes('<div id="app"'), p.slice(0, 60));
	}
	for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
		assertPage(await env.raw(method, `/c/${token}`), 405, '只能通过扫描二维码', method);
		const r = await env.raw(method, `/c/${token}`, { headers: { 'Content-Type': 'application/json', 'Content-Length': '2' },
			body: '{}' });
		assertPage(r, 405, '只能通过扫描二维码', `${method} with a body`);
	}
	// /c is its own prefix: /cases and /ca are the console's, not the scan page
	const other = await env.raw('GET', '/cx');
	assert.ok(!/入企码/.test(other.text));
});
