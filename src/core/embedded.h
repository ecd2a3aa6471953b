/*
 * embedded.h — data files compiled into the binary by
 * cmake/embed_files.cmake: migrations, register definitions, the
 * working-day calendar, the shipped indicator systems and discretion
 * benchmarks, the case-file review rubrics, the law files the platform cites. Each set is an array of {file name, text} sorted by name,
 * ended by {NULL, NULL}.
 */
#ifndef FAZHI_EMBEDDED_H
#define FAZHI_EMBEDDED_H

struct embedded_file {
	const char *name;
	const char *text;
};

extern const struct embedded_file migration_files[];
extern const int migration_files_count;
extern const struct embedded_file register_files[];
extern const int register_files_count;
extern const struct embedded_file calendar_files[];
extern const int calendar_files_count;
extern const struct embedded_file indicator_files[];
extern const int indicator_files_count;
extern const struct embedded_file benchmark_files[];
extern const int benchmark_files_count;
extern const struct embedded_file law_files[]; /* named by path below data/laws */
extern const int law_files_count;
extern const struct embedded_file rubric_files[];
extern const int rubric_files_count;

#endif
