// deadline.test.mjs — `fazhi deadline`: the statutory counting rules of
// ../shared/domain/DEADLINES.md against the 2025 holiday calendar
// (国办发明电〔2024〕12号): the event day is not counted; "N working days"
// ends on the Nth working day, 调休 weekends counting; a calendar-day period
// whose last day is a rest day or holiday ends on the next working day; a
// period of months or years ends on the corresponding day (民法典 201–203).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { BIN, run } from './harness.mjs';

const deadline = (...args) => run(BIN, ['deadline', ...args]);

async function due(from, kind, n, extra = []) {
	const r = await deadline('--from', from, kind === 'w' ? '--working-days' : '--days', String(n), ...extra);
	assert.equal(r.code, 0, `${from} ${kind}${n}: ${r.stderr}`);
	return r;
}

test('working days: the Nth working day after the event, holidays skipped, 调休 weekends counted', async () => {
	for (const [from, n, want, why] of [
		['2025-09-30', 1, '2025-10-09', '10-01…10-08 国庆节、中秋节 off'],
		['2025-09-26', 2, '2025-09-29', 'Sat 09-27 off, Sun 09-28 调休 works (1), Mon 09-29 (2)'],
		['2025-09-26', 4, '2025-10-09', '09-28, 09-29, 09-30, then the holiday, 10-09'],
		['2025-10-09', 2, '2025-10-11', 'Fri 10-10 (1), Sat 10-11 调休 works (2)'],
		['2025-01-24', 1, '2025-01-26', 'Sat 01-25 off, Sun 01-26 调休 works'],
		['2025-01-23', 3, '2025-01-27', '01-24, 01-26, 01-27; 春节 starts 01-28'],
		['2025-01-27', 1, '2025-02-05', '春节 01-28…02-04 off'],
		['2025-02-07', 1, '2025-02-08', 'Sat 02-08 调休 works'],
		['2025-12-31', 1, '2026-01-04', '2026 元旦 01-01…01-03 off, Sun 01-04 调休 works'],
		['2025-03-07', 5, '2025-03-14', 'a plain week: weekends skipped'],
		['2025-03-03', 1, '2025-03-04', 'the event day (Monday) is not counted'],
	]) {
		const r = await due(from, 'w', n);
		assert.equal(r.stdout.split('\n')[0], want, `${from} +${n} working days: ${why}`);
		assert.equal(r.stderr, '', 'no warning inside the calendar');
	}
});

test('calendar days: the last day moves off rest days and holidays, not off 调休 working days', async () => {
	for (const [from, n, want, why] of [
		['2025-09-26', 3, '2025-09-29', 'ends Mon 09-29, a working day'],
		['2025-09-25', 3, '2025-09-28', 'ends Sun 09-28, a 调休 working day: stays'],
		['2025-09-27', 4, '2025-10-09', 'ends 10-01 in the holiday: 10-09'],
		['2025-09-30', 1, '2025-10-09', 'ends 10-01: 10-09'],
		['2025-03-05', 3, '2025-03-10', 'ends Sat 03-08: Mon 03-10'],
		['2025-01-24', 7, '2025-02-05', 'ends 01-31 in 春节: 02-05'],
		['2025-07-03', 90, '2025-10-09', '90 days end 10-01'],
		['2025-06-30', 90, '2025-09-28', '90 days end on the 调休 Sunday'],
		['2025-05-28', 4, '2025-06-03', 'ends Sun 06-01 in 端午 05-31…06-02'],
		['2025-04-01', 2, '2025-04-03', 'ends Thursday, a working day'],
		['2025-02-27', 1, '2025-02-28', 'one day'],
		['2025-12-01', 30, '2025-12-31', 'ends Wednesday'],
	]) {
		const r = await due(from, 'd', n);
		assert.equal(r.stdout.split('\n')[0], want, `${from} +${n} days: ${why}`);
	}
});

test('--explain shows the counting; years outside the calendar warn; a newer calendar file is used', async () => {
	let r = await due('2025-09-30', 'w', 1, ['--explain']);
	const lines = r.stdout.split('\n');
	assert.equal(lines[0], '2025-10-09');
	assert.ok(lines.length > 2, r.stdout);
	assert.match(r.stdout, /当日不计/);
	assert.match(r.stdout, /国庆/);

	// 2030 is not in the built-in calendar: weekends only, and a warning.
	r = await due('2030-01-01', 'd', 1);
	assert.equal(r.stdout.trim(), '2030-01-02');
	assert.match(r.stderr, /2030/);
	assert.match(r.stderr, /警告/);
	r = await due('2030-01-03', 'w', 2);
	assert.equal(r.stdout.trim(), '2030-01-07', 'Fri 01-04, then Mon 01-07');

	// A calendar file declaring 2030 replaces the guess: no warning.
	const dir = mkdtempSync(join(tmpdir(), 'fazhi-cal-'));
	try {
		const cal = join(dir, 'cal.txt');
		writeFileSync(cal, 'year 2030 测试用通知\n2030-01-01 2030-01-02 off 元旦\n2030-01-05 2030-01-05 work 元旦调休上班\n');
		r = await due('2030-01-03', 'w', 2, ['--calendar', cal]);
		assert.equal(r.stdout.trim(), '2030-01-05', 'Fri 01-04 (1), Sat 01-05 调休 works (2)');
		assert.equal(r.stderr, '');
		r = await due('2029-12-31', 'd', 1, ['--calendar', cal]);
		assert.equal(r.stdout.trim(), '2030-01-03', '01-01 is a holiday in the file');
		writeFileSync(cal, 'year 2030\n2030-13-01 2030-13-02 off 坏日期\n');
		r = await deadline('--from', '2030-01-03', '--days', '1', '--calendar', cal);
		assert.notEqual(r.code, 0, 'a bad calendar file is refused');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('months and years (民法典 第二百零一至二百零三条): the corresponding day, the month end, a rest day moved on', async () => {
	for (const [from, unit, n, want, why] of [
		['2025-03-01', '--months', 3, '2025-06-03', '交办 03-01 + 3 months: 06-01 is a Sunday in 端午 05-31…06-02'],
		['2025-01-31', '--months', 1, '2025-02-28', 'no 02-31: the month end'],
		['2024-02-29', '--years', 1, '2025-02-28', 'no 02-29 in 2025'],
	]) {
		const r = await deadline('--from', from, unit, String(n), '--explain');
		assert.equal(r.code, 0, r.stderr);
		assert.equal(r.stdout.split('\n')[0], want, why);
		assert.match(r.stdout, /民法典第二百零一条/);
	}
	const r = await deadline('--from', '2025-03-01', '--months', '3', '--explain');
	assert.match(r.stdout, /端午节放假日.*依民法典第二百零三条顺延至其后第一个工作日 2025-06-03/);
});

test('bad arguments exit 2 with a message', async () => {
	for (const args of [
		['--from', '2025-09-30'],
		['--days', '3'],
		['--from', '2025-09-30', '--days', '3', '--working-days', '1'],
		['--from', '2025-02-30', '--days', '3'],
		['--from', '2025-09-30', '--days', '0'],
		['--from', '2025-09-30', '--days', 'x'],
		['--from', '2025-09-30', '--days', '3', 'extra'],
		['--from', '2025-09-30', '--months', '0'],
		['--from', '2025-09-30', '--years', '101'],
		['--from', '2025-09-30', '--months', '3', '--days', '1'],
	]) {
		const r = await deadline(...args);
		assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
		assert.equal(r.stdout, '');
		assert.match(r.stderr, /fazhi deadline: /);
	}
});
