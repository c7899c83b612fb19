// libedit's native API (histedit.h) for Swift. el_set, el_get and history() are C
// variadics Swift cannot call, so each use gets a typed static inline wrapper here.
#ifndef MINERQL_CLIBEDIT_SHIM_H
#define MINERQL_CLIBEDIT_SHIM_H

#include <histedit.h>
#include <stdio.h>
#include <locale.h>
#include <signal.h>
#include <errno.h>
#include <sys/ioctl.h>

typedef char *(*minerql_prompt_fn)(EditLine *);
typedef unsigned char (*minerql_key_fn)(EditLine *, int);

static inline FILE *minerql_stdin(void) { return stdin; }
static inline FILE *minerql_stdout(void) { return stdout; }
static inline FILE *minerql_stderr(void) { return stderr; }

static inline void minerql_el_set_prompt(EditLine *el, minerql_prompt_fn fn) { el_set(el, EL_PROMPT, fn); }
/// A prompt with colour sequences, each between two `delimiter` characters so
/// libedit does not count them as printing.
static inline void minerql_el_set_prompt_esc(EditLine *el, minerql_prompt_fn fn, char delimiter) {
    el_set(el, EL_PROMPT_ESC, fn, delimiter);
}
static inline void minerql_el_set_editor(EditLine *el, const char *mode) { el_set(el, EL_EDITOR, mode); }
static inline void minerql_el_set_signal(EditLine *el, int on) { el_set(el, EL_SIGNAL, on); }
static inline void minerql_el_set_history(EditLine *el, History *h) { el_set(el, EL_HIST, history, h); }
static inline void minerql_el_set_clientdata(EditLine *el, void *data) { el_set(el, EL_CLIENTDATA, data); }
static inline void *minerql_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}
static inline void minerql_el_add_function(EditLine *el, const char *name, const char *help, minerql_key_fn fn) {
    el_set(el, EL_ADDFN, name, help, fn);
}
static inline void minerql_el_bind(EditLine *el, const char *key, const char *function) {
    el_set(el, EL_BIND, key, function, NULL);
}
static inline void minerql_el_source_default(EditLine *el) { el_source(el, NULL); }

static inline int minerql_history_setsize(History *h, int size) {
    HistEvent ev;
    return history(h, &ev, H_SETSIZE, size);
}
static inline int minerql_history_setunique(History *h, int unique) {
    HistEvent ev;
    return history(h, &ev, H_SETUNIQUE, unique);
}
static inline int minerql_history_enter(History *h, const char *line) {
    HistEvent ev;
    return history(h, &ev, H_ENTER, line);
}

/// Installs a signal handler without SA_RESTART, so el_gets returns -1/EINTR on Ctrl-C.
static inline int minerql_install_handler(int signal, void (*handler)(int)) {
    struct sigaction action;
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    return sigaction(signal, &action, NULL);
}

/// The size of the terminal on `fd` in character cells; 0 when it is not a terminal.
static inline void minerql_terminal_size(int fd, int *columns, int *rows) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) == 0) {
        *columns = size.ws_col;
        *rows = size.ws_row;
    } else {
        *columns = 0;
        *rows = 0;
    }
}

/// Bytes typed or pasted but not yet read from `fd` (a paste arrives all at once).
static inline int minerql_pending_input(int fd) {
    int count = 0;
    return ioctl(fd, FIONREAD, &count) == 0 ? count : 0;
}

#endif
