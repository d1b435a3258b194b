/* Owns the agent's key logger mode: `rayos-agent --keylog COUNT TIMEOUT_MS` (see agent-keylog.c). */
#ifndef RAYOS_AGENT_KEYLOG_H
#define RAYOS_AGENT_KEYLOG_H

/* Most key presses one run may record, and its longest wait; mirrored by the bench and the agent host test. */
#define KEYLOG_MAX_COUNT 10000
#define KEYLOG_MAX_TIMEOUT_MS 3600000L

/* Runs the mode with the two arguments after --keylog; returns the process exit code. */
int keylog_main(const char *count_arg, const char *timeout_arg);

#endif
