/*
 * fuzz_validators.c — libFuzzer target: raw bytes into each validator and
 * mask (and the free-text mask). The input is split at its first NUL into two C strings (the value
 * and a second one: parent code, username).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mask_text.h"
#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 2), why[256], out[40];
	memcpy(s, data, size);
	s[size] = s[size + 1] = 0;
	size_t len = strlen(s);
	const char *other = s + len + (len < size);

	(void)validate_utf8((const char *)data, size);
	(void)validate_utf8(s, len);
	(void)validate_uscc(s, why, sizeof why);
	(void)validate_id_number(s, why, sizeof why);
	(void)validate_region_code(s, why, sizeof why);
	(void)region_code_level(s);
	(void)validate_region_parent(s, other, why, sizeof why);
	(void)validate_region_parent(s, s, NULL, 0);
	(void)validate_date(s, why, sizeof why);
	(void)validate_password(s, other, size > 0 ? data[0] % 40 : 0, why, sizeof why);
	for (size_t n = 1; n <= sizeof out; n += 13) {
		mask_id_number(s, out, n);
		if (strlen(out) >= n)
			abort();
		mask_name(s, out, n);
		if (strlen(out) >= n)
			abort();
		mask_phone(s, out, n);
		if (strlen(out) >= n)
			abort();
		/* free text: bounded, and valid UTF-8 in gives valid UTF-8 out */
		(void)mask_text(s, out, n);
		if (strlen(out) >= n || (validate_utf8(s, len) == 0 && validate_utf8(out, strlen(out)) != 0))
			abort();
	}
	free(s);
	return 0;
}
