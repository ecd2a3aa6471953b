# embed_file.cmake — writes OUT, a C file defining the bytes of IN as a
# NUL-terminated string `const char SYMBOL[]` and `const size_t SYMBOL_len`.
# Usage: cmake -DIN=data.txt -DOUT=data.c -DSYMBOL=name -P embed_file.cmake
foreach(var OUT SYMBOL)
	if(NOT DEFINED ${var})
		message(FATAL_ERROR "embed_file.cmake: -D${var}=… is required")
	endif()
endforeach()
if(NOT DEFINED IN)
	message(FATAL_ERROR "embed_file.cmake: -DIN=… is required")
endif()
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" hexlen)
math(EXPR len "${hexlen} / 2")
# 32 bytes a source line, each byte as \xNN.
string(REGEX REPLACE "(................................................................)" "\\1\"\n\t\"" hex "${hex}")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" esc "${hex}")
get_filename_component(name ${IN} NAME)
file(WRITE ${OUT}.tmp "/* Generated from ${name} by cmake/embed_file.cmake — do not edit. */\n"
	"#include <stddef.h>\n"
	"extern const char ${SYMBOL}[];\n"
	"extern const size_t ${SYMBOL}_len;\n"
	"const char ${SYMBOL}[] =\n\t\"${esc}\";\n"
	"const size_t ${SYMBOL}_len = ${len};\n")
file(RENAME ${OUT}.tmp ${OUT})
