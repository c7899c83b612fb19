// See include/minerql_re2.h.
#include "minerql_re2.h"

#include <re2/re2.h>

#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

struct minerql_re2 {
    re2::RE2 *regex;
};

extern "C" minerql_re2 *minerql_re2_compile(const char *pattern, size_t length, int case_insensitive,
                                            int dot_matches_newline, int literal, char **error) {
    re2::RE2::Options options;
    options.set_log_errors(false);
    options.set_case_sensitive(!case_insensitive);
    options.set_dot_nl(dot_matches_newline != 0);
    options.set_literal(literal != 0);
    re2::RE2 *regex = new (std::nothrow) re2::RE2(re2::StringPiece(pattern, length), options);
    if (regex == nullptr || !regex->ok()) {
        const std::string message = regex ? regex->error() : "out of memory";
        *error = static_cast<char *>(std::malloc(message.size() + 1));
        if (*error) std::memcpy(*error, message.c_str(), message.size() + 1);
        delete regex;
        return nullptr;
    }
    minerql_re2 *wrapper = new (std::nothrow) minerql_re2{regex};
    if (wrapper == nullptr) delete regex;
    return wrapper;
}

extern "C" void minerql_re2_free(minerql_re2 *regex) {
    if (regex == nullptr) return;
    delete regex->regex;
    delete regex;
}

extern "C" void minerql_re2_free_error(char *error) { std::free(error); }

extern "C" int minerql_re2_groups(const minerql_re2 *regex) { return regex->regex->NumberOfCapturingGroups(); }

extern "C" int minerql_re2_search(const minerql_re2 *regex, const char *text, size_t length, size_t start, int whole,
                                  long *offsets, int slots) {
    if (start > length || slots < 1) return 0;
    std::vector<re2::StringPiece> groups(static_cast<size_t>(slots));
    re2::StringPiece input(text, length);
    if (!regex->regex->Match(input, start, length, whole ? re2::RE2::ANCHOR_BOTH : re2::RE2::UNANCHORED, groups.data(),
                             slots)) {
        return 0;
    }
    for (int i = 0; i < slots; i++) {
        const re2::StringPiece &group = groups[static_cast<size_t>(i)];
        if (group.data() == nullptr) {
            offsets[2 * i] = -1;
            offsets[2 * i + 1] = -1;
        } else {
            offsets[2 * i] = static_cast<long>(group.data() - text);
            offsets[2 * i + 1] = static_cast<long>(group.data() - text + group.size());
        }
    }
    return 1;
}
