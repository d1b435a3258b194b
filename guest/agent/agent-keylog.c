/*
 * Owns `rayos-agent --keylog COUNT TIMEOUT_MS`: records when the guest kernel saw key presses, for the input latency
 * bench. It opens every /dev/input/event* that reports keys, says RAYOS_GUEST:KEYLOG_READY:<devices> on /dev/console
 * (the serial log the host reads; its own stdout is a pipe the agent only returns at the end), then records the next
 * COUNT presses (EV_KEY, value 1) with the input core's timestamp of each, in CLOCK_REALTIME microseconds, and prints
 * one line: {"keys":[{"code":30,"us":…},…],"timedOut":false}. The host aligns the times with the ping op's realtimeUs.
 * It does not grab the devices: the keys still reach the console and whatever reads it.
 */
#define _GNU_SOURCE
#include "agent-keylog.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define MAX_DEVICES 32

typedef struct {
  int code;
  long long us;
} key_press_t;

/* A whole decimal number from min to max, nothing else in the string; -1 if it is not. */
static long parse_whole(const char *s, long min, long max) {
  if (s == NULL || *s < '0' || *s > '9') return -1;
  errno = 0;
  char *end = NULL;
  long v = strtol(s, &end, 10);
  if (errno != 0 || end == s || *end != '\0' || v < min || v > max) return -1;
  return v;
}

static long long mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Whether the device reports EV_KEY at all (keyboards; also pointer buttons, which the bench never presses). */
static int reports_keys(int fd) {
  unsigned long bits[(EV_MAX + 8 * sizeof(unsigned long)) / (8 * sizeof(unsigned long))];
  memset(bits, 0, sizeof bits);
  if (ioctl(fd, EVIOCGBIT(0, sizeof bits), bits) < 0) return 0;
  return (bits[EV_KEY / (8 * sizeof(unsigned long))] >> (EV_KEY % (8 * sizeof(unsigned long)))) & 1UL;
}

static int open_key_devices(struct pollfd *fds, int max) {
  DIR *dir = opendir("/dev/input");
  if (dir == NULL) return 0;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(dir)) != NULL && n < max) {
    if (strncmp(e->d_name, "event", 5) != 0) continue;
    char path[300];
    snprintf(path, sizeof path, "/dev/input/%s", e->d_name);
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) continue;
    /* Realtime is evdev's default; asked for explicitly, since the host's alignment depends on it. */
    int clock = CLOCK_REALTIME;
    if (!reports_keys(fd) || ioctl(fd, EVIOCSCLOCKID, &clock) != 0) {
      close(fd);
      continue;
    }
    fds[n].fd = fd;
    fds[n].events = POLLIN;
    n++;
  }
  closedir(dir);
  return n;
}

static int say_ready(int devices) {
  int fd = open("/dev/console", O_WRONLY | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return -1;
  char line[64];
  int len = snprintf(line, sizeof line, "RAYOS_GUEST:KEYLOG_READY:%d\n", devices);
  ssize_t w = write(fd, line, (size_t)len);
  close(fd);
  return w == len ? 0 : -1;
}

int keylog_main(const char *count_arg, const char *timeout_arg) {
  long count = parse_whole(count_arg, 1, KEYLOG_MAX_COUNT);
  long timeout_ms = parse_whole(timeout_arg, 1, KEYLOG_MAX_TIMEOUT_MS);
  if (count < 0 || timeout_ms < 0) {
    fprintf(stderr, "rayos-agent --keylog: COUNT must be a whole number from 1 to %d and TIMEOUT_MS one from 1 to %ld (got \"%s\" \"%s\")\n",
            KEYLOG_MAX_COUNT, KEYLOG_MAX_TIMEOUT_MS, count_arg, timeout_arg);
    return 2;
  }
  struct pollfd fds[MAX_DEVICES];
  int devices = open_key_devices(fds, MAX_DEVICES);
  if (devices == 0) {
    fprintf(stderr, "rayos-agent --keylog: no /dev/input/event* device reports keys (is the evdev module loaded?)\n");
    return 1;
  }
  key_press_t *keys = calloc((size_t)count, sizeof *keys);
  if (keys == NULL) {
    fprintf(stderr, "rayos-agent --keylog: out of memory\n");
    return 1;
  }
  if (say_ready(devices) != 0) {
    fprintf(stderr, "rayos-agent --keylog: cannot write the ready line to /dev/console: %s\n", strerror(errno));
    return 1;
  }
  long got = 0;
  int timed_out = 0;
  long long deadline = mono_ms() + timeout_ms;
  while (got < count) {
    long long left = deadline - mono_ms();
    if (left <= 0) { timed_out = 1; break; }
    int r = poll(fds, (nfds_t)devices, (int)left);
    if (r < 0 && errno != EINTR) {
      fprintf(stderr, "rayos-agent --keylog: poll: %s\n", strerror(errno));
      return 1;
    }
    for (int d = 0; r > 0 && d < devices && got < count; d++) {
      if (fds[d].revents & (POLLERR | POLLHUP | POLLNVAL)) fds[d].fd = -1; /* unplugged: poll skips it from now on */
      if (!(fds[d].revents & POLLIN) || fds[d].fd < 0) continue;
      struct input_event ev[64];
      ssize_t n = read(fds[d].fd, ev, sizeof ev);
      for (ssize_t i = 0; n > 0 && i < n / (ssize_t)sizeof ev[0] && got < count; i++) {
        if (ev[i].type != EV_KEY || ev[i].value != 1) continue;
        keys[got].code = ev[i].code;
        keys[got].us = (long long)ev[i].input_event_sec * 1000000LL + (long long)ev[i].input_event_usec;
        got++;
      }
    }
  }
  printf("{\"keys\":[");
  for (long i = 0; i < got; i++) printf("%s{\"code\":%d,\"us\":%lld}", i == 0 ? "" : ",", keys[i].code, keys[i].us);
  printf("],\"timedOut\":%s}\n", timed_out ? "true" : "false");
  free(keys);
  for (int d = 0; d < devices; d++)
    if (fds[d].fd >= 0) close(fds[d].fd);
  return fflush(stdout) == 0 ? 0 : 1;
}
