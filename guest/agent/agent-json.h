/* Owns the agent's tiny JSON: a growable byte buffer, escaped string output, and parsing of the request shapes. */
#ifndef RAYOS_AGENT_JSON_H
#define RAYOS_AGENT_JSON_H

#include <stddef.h>

typedef struct {
  char *data;
  size_t len;
  size_t cap;
  int failed; /* an allocation failed: the content is incomplete */
} buf_t;

void buf_init(buf_t *b);
void buf_free(buf_t *b);
void buf_put(buf_t *b, const void *s, size_t n);
void buf_puts(buf_t *b, const char *s);
void buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Appends s[0..n) as a JSON string literal. Invalid UTF-8 becomes U+FFFD. When the literal would exceed
 * `limit` bytes, the text is cut there (the literal still closes) and 1 is returned; otherwise 0.
 */
int buf_json_string(buf_t *b, const unsigned char *s, size_t n, size_t limit);

#define REQ_MAX_ARGV 256

typedef struct {
  int has_v;
  double v;
  int has_id;
  double id;
  char *op;          /* NULL when missing or not a string */
  int argv_state;    /* 0 missing, 1 valid array of strings, -1 wrong shape */
  char *argv[REQ_MAX_ARGV + 1]; /* NULL-terminated */
  size_t argc;
  int has_timeout;
  double timeout_ms;
  char *mode;        /* NULL when missing or not a string */
} request_t;

/* Parses one request line. Returns 0, or -1 with *why saying what is wrong with the JSON. */
int request_parse(const char *line, size_t len, request_t *req, const char **why);
void request_free(request_t *req);

#endif
