/* Owns the agent's tiny JSON: strict parsing of one request object, and UTF-8-safe string escaping for replies. */
#include "agent-json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(buf_t *b) { memset(b, 0, sizeof *b); }

void buf_free(buf_t *b) {
  free(b->data);
  buf_init(b);
}

static int buf_reserve(buf_t *b, size_t extra) {
  if (b->failed) return -1;
  if (b->len + extra + 1 <= b->cap) return 0;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + extra + 1) cap *= 2;
  char *grown = realloc(b->data, cap);
  if (grown == NULL) {
    b->failed = 1;
    return -1;
  }
  b->data = grown;
  b->cap = cap;
  return 0;
}

void buf_put(buf_t *b, const void *s, size_t n) {
  if (buf_reserve(b, n) != 0) return;
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void buf_puts(buf_t *b, const char *s) { buf_put(b, s, strlen(s)); }

void buf_printf(buf_t *b, const char *fmt, ...) {
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n < sizeof small) {
    buf_put(b, small, (size_t)n);
    return;
  }
  if (buf_reserve(b, (size_t)n) != 0) return;
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when the bytes there are not valid UTF-8. */
static size_t utf8_valid_len(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  size_t need;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) need = 1;
  else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F; /* no UTF-16 surrogates */
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else return 0;
  if (n < need + 1) return 0;
  if (s[1] < lo || s[1] > hi) return 0;
  for (size_t i = 2; i <= need; i++)
    if (s[i] < 0x80 || s[i] > 0xBF) return 0;
  return need + 1;
}

int buf_json_string(buf_t *b, const unsigned char *s, size_t n, size_t limit) {
  size_t start = b->len;
  int cut = 0;
  buf_put(b, "\"", 1);
  for (size_t i = 0; i < n;) {
    char esc[8];
    const void *piece = esc;
    size_t plen, step = 1;
    unsigned char c = s[i];
    if (c == '"' || c == '\\') {
      esc[0] = '\\';
      esc[1] = (char)c;
      plen = 2;
    } else if (c < 0x20) {
      const char *named = c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : c == '\b' ? "\\b" : c == '\f' ? "\\f" : NULL;
      if (named != NULL) {
        memcpy(esc, named, 2);
        plen = 2;
      } else {
        snprintf(esc, sizeof esc, "\\u%04x", c);
        plen = 6;
      }
    } else if (c < 0x80) {
      piece = s + i;
      plen = 1;
    } else {
      size_t v = utf8_valid_len(s + i, n - i);
      if (v > 0) {
        piece = s + i;
        plen = v;
        step = v;
      } else {
        piece = "\xEF\xBF\xBD"; /* U+FFFD for every byte that is not part of valid UTF-8 */
        plen = 3;
      }
    }
    /* +1 keeps room for the closing quote */
    if (b->len - start + plen + 1 > limit) {
      cut = 1;
      break;
    }
    buf_put(b, piece, plen);
    i += step;
  }
  buf_put(b, "\"", 1);
  return cut;
}

/* ---- parsing ---- */

typedef struct {
  const char *p;
  const char *end;
  const char *why;
  int depth;
} pz_t;

#define MAX_DEPTH 32

static void ws(pz_t *z) {
  while (z->p < z->end && (*z->p == ' ' || *z->p == '\t' || *z->p == '\n' || *z->p == '\r')) z->p++;
}

static int fail(pz_t *z, const char *why) {
  if (z->why == NULL) z->why = why;
  return -1;
}

static int hex4(pz_t *z, unsigned *out) {
  if (z->end - z->p < 4) return fail(z, "bad \\u escape");
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char c = z->p[i];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
    else return fail(z, "bad \\u escape");
  }
  z->p += 4;
  *out = v;
  return 0;
}

static void put_utf8(buf_t *out, unsigned cp) {
  unsigned char u[4];
  size_t n;
  if (cp < 0x80) { u[0] = (unsigned char)cp; n = 1; }
  else if (cp < 0x800) { u[0] = (unsigned char)(0xC0 | (cp >> 6)); u[1] = (unsigned char)(0x80 | (cp & 0x3F)); n = 2; }
  else if (cp < 0x10000) {
    u[0] = (unsigned char)(0xE0 | (cp >> 12)); u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F)); u[2] = (unsigned char)(0x80 | (cp & 0x3F)); n = 3;
  } else {
    u[0] = (unsigned char)(0xF0 | (cp >> 18)); u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F)); u[3] = (unsigned char)(0x80 | (cp & 0x3F)); n = 4;
  }
  buf_put(out, u, n);
}

/* Parses a string at z->p (the opening quote); decodes it into out when out is not NULL. */
static int parse_string(pz_t *z, buf_t *out) {
  if (z->p >= z->end || *z->p != '"') return fail(z, "expected a string");
  z->p++;
  while (z->p < z->end) {
    unsigned char c = (unsigned char)*z->p++;
    if (c == '"') return 0;
    if (c < 0x20) return fail(z, "raw control character in a string");
    if (c != '\\') {
      if (out) buf_put(out, &c, 1);
      continue;
    }
    if (z->p >= z->end) break;
    char e = *z->p++;
    const char *simple = NULL;
    switch (e) {
      case '"': simple = "\""; break;
      case '\\': simple = "\\"; break;
      case '/': simple = "/"; break;
      case 'b': simple = "\b"; break;
      case 'f': simple = "\f"; break;
      case 'n': simple = "\n"; break;
      case 'r': simple = "\r"; break;
      case 't': simple = "\t"; break;
      case 'u': {
        unsigned cp;
        if (hex4(z, &cp) != 0) return -1;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          unsigned lo;
          if (z->end - z->p >= 6 && z->p[0] == '\\' && z->p[1] == 'u') {
            const char *save = z->p;
            z->p += 2;
            if (hex4(z, &lo) != 0) return -1;
            if (lo >= 0xDC00 && lo <= 0xDFFF) cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            else { cp = 0xFFFD; z->p = save; }
          } else cp = 0xFFFD;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) cp = 0xFFFD;
        if (out) put_utf8(out, cp);
        continue;
      }
      default: return fail(z, "bad escape in a string");
    }
    if (out) buf_put(out, simple, 1);
  }
  return fail(z, "unterminated string");
}

static int parse_number(pz_t *z, double *out) {
  const char *s = z->p;
  if (z->p < z->end && *z->p == '-') z->p++;
  if (z->p >= z->end) return fail(z, "bad number");
  if (*z->p == '0') z->p++;
  else if (*z->p >= '1' && *z->p <= '9') while (z->p < z->end && *z->p >= '0' && *z->p <= '9') z->p++;
  else return fail(z, "bad number");
  if (z->p < z->end && *z->p == '.') {
    z->p++;
    if (z->p >= z->end || *z->p < '0' || *z->p > '9') return fail(z, "bad number");
    while (z->p < z->end && *z->p >= '0' && *z->p <= '9') z->p++;
  }
  if (z->p < z->end && (*z->p == 'e' || *z->p == 'E')) {
    z->p++;
    if (z->p < z->end && (*z->p == '+' || *z->p == '-')) z->p++;
    if (z->p >= z->end || *z->p < '0' || *z->p > '9') return fail(z, "bad number");
    while (z->p < z->end && *z->p >= '0' && *z->p <= '9') z->p++;
  }
  char tmp[64];
  size_t n = (size_t)(z->p - s);
  if (n >= sizeof tmp) n = sizeof tmp - 1; /* long numbers lose digits, never validity */
  memcpy(tmp, s, n);
  tmp[n] = '\0';
  *out = strtod(tmp, NULL);
  return 0;
}

static int literal(pz_t *z, const char *word) {
  size_t n = strlen(word);
  if ((size_t)(z->end - z->p) < n || memcmp(z->p, word, n) != 0) return fail(z, "unexpected character");
  z->p += n;
  return 0;
}

static int skip_value(pz_t *z);

static int skip_container(pz_t *z, char close, int is_object) {
  if (++z->depth > MAX_DEPTH) return fail(z, "nested too deeply");
  z->p++;
  ws(z);
  if (z->p < z->end && *z->p == close) { z->p++; z->depth--; return 0; }
  for (;;) {
    if (is_object) {
      if (parse_string(z, NULL) != 0) return -1;
      ws(z);
      if (z->p >= z->end || *z->p != ':') return fail(z, "expected ':'");
      z->p++;
      ws(z);
    }
    if (skip_value(z) != 0) return -1;
    ws(z);
    if (z->p < z->end && *z->p == ',') { z->p++; ws(z); continue; }
    if (z->p < z->end && *z->p == close) { z->p++; z->depth--; return 0; }
    return fail(z, "expected ',' or a closing bracket");
  }
}

static int skip_value(pz_t *z) {
  double ignored;
  if (z->p >= z->end) return fail(z, "unexpected end");
  switch (*z->p) {
    case '"': return parse_string(z, NULL);
    case '{': return skip_container(z, '}', 1);
    case '[': return skip_container(z, ']', 0);
    case 't': return literal(z, "true");
    case 'f': return literal(z, "false");
    case 'n': return literal(z, "null");
    default: return parse_number(z, &ignored);
  }
}

/* A string value owned by the request, or NULL (wrong type) after skipping whatever is there. */
static int take_string(pz_t *z, char **out) {
  free(*out);
  *out = NULL;
  if (z->p >= z->end || *z->p != '"') return skip_value(z);
  buf_t b;
  buf_init(&b);
  if (parse_string(z, &b) != 0) { buf_free(&b); return -1; }
  buf_put(&b, "", 0);
  if (b.failed || strlen(b.data) != b.len) { buf_free(&b); return 0; } /* embedded NUL: treated as wrong type */
  *out = b.data;
  return 0;
}

static int take_number(pz_t *z, int *has, double *out) {
  *has = 0;
  if (z->p < z->end && (*z->p == '-' || (*z->p >= '0' && *z->p <= '9'))) {
    if (parse_number(z, out) != 0) return -1;
    *has = 1;
    return 0;
  }
  return skip_value(z);
}

static void clear_argv(request_t *req) {
  for (size_t i = 0; i < req->argc; i++) free(req->argv[i]);
  req->argc = 0;
  req->argv[0] = NULL;
}

static int take_argv(pz_t *z, request_t *req) {
  clear_argv(req);
  req->argv_state = -1;
  if (z->p >= z->end || *z->p != '[') return skip_value(z);
  z->p++;
  ws(z);
  int good = 1;
  if (z->p < z->end && *z->p == ']') { z->p++; return 0; } /* empty: wrong shape (min 1) */
  for (;;) {
    char *s = NULL;
    if (z->p < z->end && *z->p == '"') {
      if (take_string(z, &s) != 0) return -1;
      if (s == NULL || req->argc >= REQ_MAX_ARGV) { good = 0; free(s); }
      else { req->argv[req->argc++] = s; req->argv[req->argc] = NULL; }
    } else {
      good = 0;
      if (skip_value(z) != 0) return -1;
    }
    ws(z);
    if (z->p < z->end && *z->p == ',') { z->p++; ws(z); continue; }
    if (z->p < z->end && *z->p == ']') { z->p++; break; }
    return fail(z, "expected ',' or ']'");
  }
  if (good) req->argv_state = 1;
  else clear_argv(req);
  return 0;
}

int request_parse(const char *line, size_t len, request_t *req, const char **why) {
  memset(req, 0, sizeof *req);
  pz_t z = { line, line + len, NULL, 0 };
  ws(&z);
  if (z.p >= z.end || *z.p != '{') { *why = "a request must be a JSON object"; return -1; }
  z.p++;
  ws(&z);
  int first = 1;
  while (!(z.p < z.end && *z.p == '}')) {
    if (!first) {
      if (z.p >= z.end || *z.p != ',') { fail(&z, "expected ',' or '}'"); goto bad; }
      z.p++;
      ws(&z);
    }
    first = 0;
    buf_t key;
    buf_init(&key);
    if (parse_string(&z, &key) != 0) { buf_free(&key); goto bad; }
    ws(&z);
    if (z.p >= z.end || *z.p != ':') { buf_free(&key); fail(&z, "expected ':'"); goto bad; }
    z.p++;
    ws(&z);
    const char *k = key.data ? key.data : "";
    int rc;
    if (strcmp(k, "v") == 0) rc = take_number(&z, &req->has_v, &req->v);
    else if (strcmp(k, "id") == 0) rc = take_number(&z, &req->has_id, &req->id);
    else if (strcmp(k, "op") == 0) rc = take_string(&z, &req->op);
    else if (strcmp(k, "mode") == 0) rc = take_string(&z, &req->mode);
    else if (strcmp(k, "timeoutMs") == 0) rc = take_number(&z, &req->has_timeout, &req->timeout_ms);
    else if (strcmp(k, "argv") == 0) rc = take_argv(&z, req);
    else rc = skip_value(&z);
    buf_free(&key);
    if (rc != 0) goto bad;
    ws(&z);
  }
  z.p++;
  ws(&z);
  if (z.p != z.end) { fail(&z, "trailing characters after the object"); goto bad; }
  return 0;
bad:
  *why = z.why ? z.why : "not valid JSON";
  return -1;
}

void request_free(request_t *req) {
  clear_argv(req);
  free(req->op);
  free(req->mode);
  req->op = NULL;
  req->mode = NULL;
}
