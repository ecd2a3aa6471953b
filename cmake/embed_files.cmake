# Writes OUT: a C array `SYMBOL` of {name, text} for the files listed in IN,
# and SYMBOL_count. Used for register definitions and other shipped data.
string(REPLACE "|" ";" IN "${IN}")
set(body "")
set(count 0)
foreach(f ${IN})
	get_filename_component(name ${f} NAME)
	file(READ ${f} hex HEX)
	string(REGEX REPLACE "(..)" "\\\\x\\1" esc "${hex}")
	string(APPEND body "\t{ \"${name}\", \"${esc}\" },\n")
	math(EXPR count "${count} + 1")
endforeach()
file(WRITE ${OUT} "/* Generated — do not edit. */\n"
	"struct embedded_file { const char *name; const char *text; };\n"
	"extern const struct embedded_file ${SYMBOL}[];\n"
	"extern const int ${SYMBOL}_count;\n"
	"const struct embedded_file ${SYMBOL}[] = {\n${body}\t{ 0, 0 }\n};\n"
	"const int ${SYMBOL}_count = ${count};\n")
