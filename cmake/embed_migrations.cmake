# Writes OUT: a C array of the migrations listed in IN (NNN_name.sql).
string(REPLACE "|" ";" IN "${IN}")
set(body "")
set(count 0)
foreach(f ${IN})
	get_filename_component(base ${f} NAME_WE)
	string(REGEX MATCH "^([0-9]+)_(.*)$" _ ${base})
	set(ver ${CMAKE_MATCH_1})
	set(name ${CMAKE_MATCH_2})
	math(EXPR ver "${ver} + 0")
	file(READ ${f} hex HEX)
	string(REGEX REPLACE "(..)" "\\\\x\\1" esc "${hex}")
	string(APPEND body "\t{ ${ver}, \"${name}\", \"${esc}\" },\n")
	math(EXPR count "${count} + 1")
endforeach()
file(WRITE ${OUT} "/* Generated from data/migrations — do not edit. */\n"
	"struct db_migration { int version; const char *name; const char *sql; };\n"
	"extern const struct db_migration db_migrations[];\n"
	"extern const int db_migrations_count;\n"
	"const struct db_migration db_migrations[] = {\n${body}\t{ 0, 0, 0 }\n};\n"
	"const int db_migrations_count = ${count};\n")
