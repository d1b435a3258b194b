/*
 * Owns the RayOS guest agent: finds the virtio-serial port org.rayos.agent.0, reads line-JSON requests from it
 * and answers them (hello, ping, exec, shutdown) as src/contracts/guest-agent.ts defines. It obeys only that port,
 * never exits because the host side went away, and keeps `served` in RAM only.
 *
 *   rayos-agent            the guest: serve the virtio port (retrying until it appears)
 *   rayos-agent --fd N     a test harness: serve the already-open socket N; shutdown only exits (never reboot(2))
 *   rayos-agent --keylog COUNT TIMEOUT_MS
 *                          run through exec: record the guest kernel's timestamps of the next COUNT key presses
 *                          (agent-keylog.c)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agent-exec.h"
#include "agent-json.h"
#include "agent-keylog.h"

#define AGENT_VERSION "1.0.0"
#define PROTOCOL 1
#define PORT_NAME "org.rayos.agent.0"
/* Mirrors GUEST_AGENT_MAX_LINE and GUEST_EXEC_MAX_OUTPUT in src/contracts/guest-agent.ts. */
#define MAX_LINE (4u * 1024u * 1024u)
#define MAX_OUTPUT (1024u * 1024u)
#define MAX_TIMEOUT_MS 3600000.0
/* Escaped stdout and stderr share the line budget, leaving room for the envelope. */
#define STREAM_BUDGET ((MAX_LINE - 64u * 1024u) / 2u)
/* How long to wait before looking again while the host end is closed (poll reports POLLHUP at once then). */
#define HOST_AWAY_MS 100
/* How long one reply may wait for the host to read before it is dropped. */
#define WRITE_PATIENCE_MS 10000

static unsigned long long served;
static int test_mode;

static void sleep_ms(long ms) {
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}

static void say(const char *line) { fprintf(stderr, "%s\n", line); }

/* Finds /dev/vportNpM for the port by its name in sysfs; creates the node when devtmpfs has not (no udev here). */
static int find_port(char *path, size_t size) {
  DIR *dir = opendir("/sys/class/virtio-ports");
  if (dir == NULL) return -1;
  struct dirent *e;
  int found = -1;
  while ((e = readdir(dir)) != NULL && found != 0) {
    if (e->d_name[0] == '.') continue;
    char file[512], name[128] = "";
    snprintf(file, sizeof file, "/sys/class/virtio-ports/%s/name", e->d_name);
    FILE *f = fopen(file, "r");
    if (f == NULL) continue;
    if (fgets(name, sizeof name, f) == NULL) name[0] = '\0';
    fclose(f);
    name[strcspn(name, "\n")] = '\0';
    if (strcmp(name, PORT_NAME) != 0) continue;
    snprintf(path, size, "/dev/%s", e->d_name);
    found = 0;
    if (access(path, F_OK) != 0) {
      unsigned maj = 0, min = 0;
      snprintf(file, sizeof file, "/sys/class/virtio-ports/%s/dev", e->d_name);
      f = fopen(file, "r");
      if (f == NULL || fscanf(f, "%u:%u", &maj, &min) != 2 || mknod(path, S_IFCHR | 0600, makedev(maj, min)) != 0) found = -1;
      if (f != NULL) fclose(f);
    }
  }
  closedir(dir);
  return found;
}

/* Writes the whole reply, waiting while the host is slow; drops it when the host is gone or too slow. */
static void send_all(int fd, const char *data, size_t len) {
  long waited = 0;
  while (len > 0) {
    ssize_t n = write(fd, data, len);
    if (n > 0) {
      data += n;
      len -= (size_t)n;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN) return;
    struct pollfd p = { fd, POLLOUT, 0 };
    int r = poll(&p, 1, 100);
    if (r > 0 && (p.revents & POLLOUT)) continue;
    if (r > 0 && (p.revents & (POLLHUP | POLLERR))) sleep_ms(HOST_AWAY_MS);
    waited += 100;
    if (waited >= WRITE_PATIENCE_MS) return;
  }
}

static void put_id(buf_t *b, double id) { buf_printf(b, "{\"v\":%d,\"id\":%.0f,", PROTOCOL, id); }

static void reply_finish(int fd, buf_t *b) {
  buf_puts(b, "}\n");
  served++;
  if (!b->failed) send_all(fd, b->data, b->len);
}

static void reply_error(int fd, double id, const char *code, const char *message) {
  buf_t b;
  buf_init(&b);
  put_id(&b, id);
  buf_printf(&b, "\"ok\":false,\"error\":{\"code\":\"%s\",\"message\":", code);
  buf_json_string(&b, (const unsigned char *)message, strlen(message), 4096);
  buf_puts(&b, "}");
  reply_finish(fd, &b);
  buf_free(&b);
}

static double uptime_ms(void) {
  double up = 0;
  FILE *f = fopen("/proc/uptime", "r");
  if (f != NULL) {
    if (fscanf(f, "%lf", &up) != 1) up = 0;
    fclose(f);
  }
  return up * 1000.0;
}

static void boot_id(char *out, size_t size) {
  snprintf(out, size, "unknown");
  FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");
  if (f == NULL) return;
  char line[128];
  if (fgets(line, sizeof line, f) != NULL) {
    line[strcspn(line, "\n")] = '\0';
    if (line[0] != '\0') snprintf(out, size, "%s", line);
  }
  fclose(f);
}

static void op_hello(int fd, double id) {
  char bid[128];
  boot_id(bid, sizeof bid);
  buf_t b;
  buf_init(&b);
  put_id(&b, id);
  buf_printf(&b, "\"ok\":true,\"result\":{\"agentVersion\":\"%s\",\"protocol\":%d,\"bootId\":", AGENT_VERSION, PROTOCOL);
  buf_json_string(&b, (const unsigned char *)bid, strlen(bid), 256);
  buf_printf(&b, ",\"uptimeMs\":%.0f,\"served\":%llu}", uptime_ms(), served);
  reply_finish(fd, &b);
  buf_free(&b);
}

/* CLOCK_REALTIME in whole microseconds: what the host aligns guest timestamps (input events) with. */
static long long realtime_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static void op_ping(int fd, double id) {
  long long now_us = realtime_us(); /* first, so building the reply does not widen the host's window */
  buf_t b;
  buf_init(&b);
  put_id(&b, id);
  buf_printf(&b, "\"ok\":true,\"result\":{\"uptimeMs\":%.0f,\"served\":%llu,\"realtimeUs\":%lld}", uptime_ms(), served, now_us);
  reply_finish(fd, &b);
  buf_free(&b);
}

static void op_exec(int fd, double id, request_t *req) {
  exec_result_t r;
  if (agent_exec(req->argv, (long)req->timeout_ms, MAX_OUTPUT, &r) != 0) {
    exec_result_free(&r);
    reply_error(fd, id, "INTERNAL", "the agent could not start or watch the command (out of memory or file descriptors)");
    return;
  }
  if (r.exec_errno != 0) {
    char msg[512];
    int e = r.exec_errno;
    exec_result_free(&r);
    snprintf(msg, sizeof msg, "%s: %s", req->argv[0], strerror(e));
    reply_error(fd, id, e == ENOENT ? "EXEC_NOT_FOUND" : "EXEC_FAILED", msg);
    return;
  }
  buf_t b;
  buf_init(&b);
  put_id(&b, id);
  buf_printf(&b, "\"ok\":true,\"result\":{\"exitCode\":%d,\"stdout\":", r.exit_code);
  int cut = buf_json_string(&b, (const unsigned char *)r.out.data, r.out.len, STREAM_BUDGET);
  buf_puts(&b, ",\"stderr\":");
  cut |= buf_json_string(&b, (const unsigned char *)r.err.data, r.err.len, STREAM_BUDGET);
  buf_printf(&b, ",\"truncated\":%s,\"timedOut\":%s}", (cut || r.truncated) ? "true" : "false", r.timed_out ? "true" : "false");
  exec_result_free(&r);
  if (b.failed) {
    buf_free(&b);
    reply_error(fd, id, "INTERNAL", "the agent ran out of memory building the reply");
    return;
  }
  reply_finish(fd, &b);
  buf_free(&b);
}

static void op_shutdown(int fd, double id, int reboot_after) {
  buf_t b;
  buf_init(&b);
  put_id(&b, id);
  buf_puts(&b, "\"ok\":true,\"result\":{\"accepted\":true}");
  reply_finish(fd, &b);
  buf_free(&b);
  if (test_mode) exit(0);
  say(reboot_after ? "RAYOS_GUEST:SHUTDOWN:reboot" : "RAYOS_GUEST:SHUTDOWN:poweroff");
  /* Give QEMU a moment to pass the reply on before the machine goes away. */
  sleep_ms(200);
  sync();
  kill(-1, SIGTERM); /* everything but init and this agent */
  sleep_ms(100);
  kill(-1, SIGKILL);
  sync();
  if (umount("/data") != 0 && errno != EINVAL && errno != ENOENT) mount(NULL, "/data", NULL, MS_REMOUNT | MS_RDONLY, NULL);
  sync();
  reboot(reboot_after ? RB_AUTOBOOT : RB_POWER_OFF);
  perror("rayos-agent: reboot");
}

static int is_id(double id) { return id >= 0 && id <= 9007199254740991.0 && id == (double)(long long)id; }

static void handle_line(int fd, const char *line, size_t len) {
  request_t req;
  const char *why = NULL;
  int parsed = request_parse(line, len, &req, &why);
  double id = (req.has_id && is_id(req.id)) ? req.id : 0;
  if (parsed != 0) reply_error(fd, id, "BAD_REQUEST", why);
  else if (!req.has_v || req.v != PROTOCOL) reply_error(fd, id, "BAD_REQUEST", "v must be 1 (the protocol version)");
  else if (!req.has_id || !is_id(req.id)) reply_error(fd, 0, "BAD_REQUEST", "id must be a non-negative integer");
  else if (req.op == NULL) reply_error(fd, id, "BAD_REQUEST", "op must be a string");
  else if (strcmp(req.op, "hello") == 0) op_hello(fd, id);
  else if (strcmp(req.op, "ping") == 0) op_ping(fd, id);
  else if (strcmp(req.op, "exec") == 0) {
    if (req.argv_state != 1) reply_error(fd, id, "BAD_REQUEST", "argv must be an array of 1 to 256 strings without NUL");
    else if (!req.has_timeout || req.timeout_ms <= 0 || req.timeout_ms > MAX_TIMEOUT_MS || req.timeout_ms != (double)(long)req.timeout_ms)
      reply_error(fd, id, "BAD_REQUEST", "timeoutMs must be an integer from 1 to 3600000");
    else op_exec(fd, id, &req);
  } else if (strcmp(req.op, "shutdown") == 0) {
    if (req.mode != NULL && strcmp(req.mode, "poweroff") == 0) op_shutdown(fd, id, 0);
    else if (req.mode != NULL && strcmp(req.mode, "reboot") == 0) op_shutdown(fd, id, 1);
    else reply_error(fd, id, "BAD_REQUEST", "mode must be \"poweroff\" or \"reboot\"");
  } else reply_error(fd, id, "UNKNOWN_OP", "op is not one of hello, ping, exec, shutdown");
  request_free(&req);
}

/* Serves one open channel until it fails for good; a closed host end only pauses it. */
static void serve(int fd) {
  buf_t in;
  buf_init(&in);
  int discarding = 0; /* inside a line longer than MAX_LINE: drop bytes up to its newline */
  char chunk[65536];
  for (;;) {
    while (waitpid(-1, NULL, WNOHANG) > 0) {} /* orphans of earlier commands land here (subreaper) */
    struct pollfd p = { fd, POLLIN, 0 };
    int r = poll(&p, 1, 1000);
    if (r < 0 && errno != EINTR) { sleep_ms(HOST_AWAY_MS); continue; }
    if (r <= 0) continue;
    ssize_t n = 0;
    if (p.revents & POLLIN) n = read(fd, chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) {
      /* The host closed its end (or never opened it): what it half-sent is void. Wait for the next host. */
      if (test_mode && n == 0) exit(0);
      in.len = 0;
      discarding = 0;
      sleep_ms(HOST_AWAY_MS);
      continue;
    }
    size_t start = 0;
    for (size_t i = 0; i < (size_t)n; i++) {
      if (chunk[i] != '\n') continue;
      if (discarding) {
        discarding = 0;
        reply_error(fd, 0, "BAD_REQUEST", "line longer than the protocol maximum");
      } else {
        buf_put(&in, chunk + start, i - start);
        size_t len = in.len;
        if (len > 0 && in.data[len - 1] == '\r') len--;
        if (in.failed) reply_error(fd, 0, "INTERNAL", "the agent ran out of memory reading the request");
        else if (len > MAX_LINE) reply_error(fd, 0, "BAD_REQUEST", "line longer than the protocol maximum");
        else if (len > 0) handle_line(fd, in.data, len);
        in.len = 0;
        in.failed = 0;
      }
      start = i + 1;
    }
    if (!discarding && start < (size_t)n) buf_put(&in, chunk + start, (size_t)n - start);
    if (in.len > MAX_LINE) {
      discarding = 1;
      buf_free(&in);
    }
  }
}

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  /* Commands that daemonize are re-parented to the agent, which reaps them, instead of piling up as zombies. */
  prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  if (chdir("/") != 0) perror("rayos-agent: chdir /");
  if (argc == 3 && strcmp(argv[1], "--fd") == 0) {
    test_mode = 1;
    int fd = atoi(argv[2]);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    serve(fd);
    return 0;
  }
  if (argc >= 2 && strcmp(argv[1], "--keylog") == 0) {
    if (argc != 4) {
      fprintf(stderr, "usage: rayos-agent --keylog COUNT TIMEOUT_MS\n");
      return 2;
    }
    return keylog_main(argv[2], argv[3]);
  }
  if (argc != 1) {
    fprintf(stderr, "usage: rayos-agent [--fd N | --keylog COUNT TIMEOUT_MS]\n");
    return 2;
  }
  char path[300];
  int warned = 0;
  for (;;) {
    int fd = -1;
    if (find_port(path, sizeof path) == 0) fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0) {
      fprintf(stderr, "RAYOS_GUEST:AGENT_READY:%s\n", path);
      serve(fd);
      close(fd);
    } else if (!warned) {
      warned = 1;
      say("RAYOS_GUEST:AGENT_WAITING:no virtio port named " PORT_NAME " yet");
    }
    sleep_ms(500);
  }
}
