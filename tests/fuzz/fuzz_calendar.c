/*
 * fuzz_calendar.c — libFuzzer target: raw bytes as a holiday calendar file
 * (the text `fazhi calendar import` and `fazhi deadline --calendar` read),
 * merged over the built-in calendar. Checks that a refused text leaves the
 * calendar as it was and names a reason; that an accepted one keeps the
 * periods sorted and never overlapping, and that a deadline can still be
 * counted with it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/clock.h"
#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), why[256] = "";
	struct calendar c;
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	calendar_init(&c);
	if (calendar_copy(&c, calendar_builtin()) != 0) {
		free(text);
		return 0;
	}
	int np = c.np, ny = c.ny;
	if (calendar_load_text(&c, text, why, sizeof why) != 0) {
		if (c.np != np || c.ny != ny || !why[0] || validate_utf8(why, strlen(why)) != 0)
			abort(); /* all or nothing, with a reason */
	} else {
		for (int i = 1; i < c.np; i++)
			if (c.p[i].from <= c.p[i - 1].to || c.p[i].from > c.p[i].to)
				abort(); /* sorted, never overlapping */
		struct deadline_rule rule = { .kind = DL_WORKING_DAYS, .days = 20 };
		struct date due;
		char explain[2048];
		(void)deadline_compute(&c, (struct date){ 2025, 9, 30 }, &rule, NULL, 0, &due, explain, sizeof explain);
	}
	calendar_free(&c);
	free(text);
	return 0;
}
