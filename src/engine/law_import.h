/*
 * law_import.h — a folder of law files into the library (`fazhi laws
 * import`, `fazhi demo`): every .md under it, each file all or nothing,
 * its level from the folder it lies in, and a report line for each file
 * refused or skipped.
 */
#ifndef FAZHI_LAW_IMPORT_H
#define FAZHI_LAW_IMPORT_H

#include <stdio.h>

#include "db.h"

struct audit_actor;
struct law_import_stats {
	/* in: who imports — with one, a version that amends or repeals a law
	 * opens the review tasks of the records citing it (domain.h
	 * law_changed) and they are audited as that actor; NULL: none */
	const struct audit_actor *actor;
	int files, imported, unchanged, refused, skipped;
	int reviews;             /* review tasks opened */
	long versions, articles; /* in the library after the import */
	double seconds;
};

/* Imports dir (recursively, in name order), writing a line per refused
 * or skipped file to report (NULL: quiet). 0, or -1 when the folder cannot
 * be read or the store failed (why in Chinese); refused files are not a
 * failure. */
int law_import_dir(db *d, const char *dir, FILE *report, struct law_import_stats *st, char *why, size_t whylen);

/* The law files built into the binary (data/laws: the articles the
 * platform cites), the same way. */
int law_import_embedded(db *d, FILE *report, struct law_import_stats *st, char *why, size_t whylen);

/* The level of a file from the folders of its path relative to the
 * imported folder (innermost known name wins: 行政法/ → 法律, DLC/ →
 * 地方性法规; unknown → 其他); NULL for 案例 (not law). */
const char *law_level_of_path(const char *relpath);

#endif
