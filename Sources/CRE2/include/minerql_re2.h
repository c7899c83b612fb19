// A C face on RE2, DuckDB's regular-expression engine: linear-time matching
// (no catastrophic backtracking) with RE2's syntax and leftmost-first
// submatches, so the regexp_* functions behave as DuckDB's do.
#ifndef MINERQL_RE2_H
#define MINERQL_RE2_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct minerql_re2 minerql_re2;

/// Compiles `pattern` (UTF-8, `length` bytes). Returns NULL and sets `*error`
/// (to be released with minerql_re2_free_error) if it does not compile.
minerql_re2 *minerql_re2_compile(const char *pattern, size_t length, int case_insensitive, int dot_matches_newline,
                                 int literal, char **error);

void minerql_re2_free(minerql_re2 *regex);

void minerql_re2_free_error(char *error);

/// The number of capture groups.
int minerql_re2_groups(const minerql_re2 *regex);

/// Searches text[start..<length] for the first match (anchored at both ends
/// when `whole` is set). On a match, fills `offsets` with up to `slots`
/// pairs of byte offsets into `text` (begin, end; -1, -1 for a group that did
/// not take part), the whole match first, and returns 1; else 0.
int minerql_re2_search(const minerql_re2 *regex, const char *text, size_t length, size_t start, int whole,
                       long *offsets, int slots);

#ifdef __cplusplus
}
#endif

#endif
