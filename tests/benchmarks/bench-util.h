/* bench-util.h: what the benchmarks share: an external sandbox process,
 * its CPU time, medians and the report lines
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BENCH_API_KEY "bench-key"

typedef struct {
  GSubprocess *process;
  char        *base_url;
  char        *long_call_id;   /* with --long-call */
} BenchSandbox;

/* Starts $VOXPARSE_SANDBOX (or the one in the build tree) on a free port
 * with @args (e.g. "--jobs", "1000", NULL) and waits until it listens. */
BenchSandbox *bench_sandbox_start      (const char   *first_arg,
                                        ...) G_GNUC_NULL_TERMINATED;
void          bench_sandbox_stop       (BenchSandbox *sandbox);
/* User + system CPU time of the sandbox process so far, in seconds */
double        bench_sandbox_cpu        (BenchSandbox *sandbox);
/* CPU time of this process so far (all threads), in seconds */
double        bench_self_cpu           (void);
/* Resident set size of this process, in bytes */
gsize         bench_self_rss           (void);

/* Now, in seconds on CLOCK_MONOTONIC */
double        bench_now                (void);
/* Sorts @values in place */
double        bench_median             (double       *values,
                                        guint         n);
/* The number of rounds: $VOXPARSE_BENCH_ROUNDS or @fallback */
guint         bench_rounds             (guint         fallback);

/* Runs the main context until *@flag is TRUE or @seconds passed; FALSE on
 * time-out. */
gboolean      bench_wait_for           (const gboolean *flag,
                                        double          seconds);

/* "name: value unit (baseline: value unit) ratio R, target ≤ T: PASS" */
gboolean      bench_report             (const char   *what,
                                        double        value,
                                        double        baseline,
                                        const char   *unit,
                                        gboolean      at_most,
                                        double        target_ratio);
/* Prints a line that says the machine was loaded when measured. */
void          bench_print_load         (void);

G_END_DECLS
