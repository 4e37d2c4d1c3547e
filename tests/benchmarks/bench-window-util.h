/* bench-window-util.h: driving the window in the window-level benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vp-window-private.h"

G_BEGIN_DECLS

/* Counts frames painted by @widget's frame clock and the longest time the
 * main loop went without dispatching a 1 ms probe (how long it was
 * blocked).  With VOXPARSE_BENCH_TRACE_GAPS set, each gap over 8 ms is
 * printed on stderr with its start and end, and each reset (where the
 * measured part starts) too. */
typedef struct {
  GtkWidget *widget;
  gulong     paint_id;
  guint      probe_id;
  guint      n_paints;
  gboolean   trace_gaps;
  double     last_probe;
  double     max_gap;
  double     last_paint;
} BenchProbe;

void     bench_probe_start        (BenchProbe *probe,
                                   GtkWidget  *widget);
void     bench_probe_reset_gap    (BenchProbe *probe);
void     bench_probe_stop         (BenchProbe *probe);
/* Runs the main loop until one more frame was painted */
gboolean bench_probe_wait_paint   (BenchProbe *probe,
                                   double      seconds);

/* Runs the main loop until @window shows @job_id's result (state
 * "result", not busy). */
gboolean bench_wait_result_shown  (VpWindow   *window,
                                   const char *job_id,
                                   double      seconds);
/* Runs the main loop until the list holds @n jobs or can hold no more */
gboolean bench_wait_list          (VpWindow   *window,
                                   guint       n,
                                   double      seconds);

G_END_DECLS
