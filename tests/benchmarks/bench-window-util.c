/* bench-window-util.c: driving the window in the window-level benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench"

#include "config.h"

#include "bench-util.h"
#include "bench-window-util.h"

static gboolean
on_probe_cb (gpointer user_data)
{
  BenchProbe *probe = user_data;
  double now = bench_now ();

  if (probe->last_probe > 0)
    probe->max_gap = MAX (probe->max_gap, now - probe->last_probe);
  /* To find what blocked the loop: each gap of over half a frame, in
   * CLOCK_MONOTONIC seconds, the clock of `perf record -k mono` */
  if (probe->trace_gaps && probe->last_probe > 0 && now - probe->last_probe > 0.008)
    g_printerr ("main loop blocked from %.6f to %.6f (%.1f ms)\n",
                probe->last_probe, now, (now - probe->last_probe) * 1000);
  probe->last_probe = now;

  return G_SOURCE_CONTINUE;
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   BenchProbe    *probe)
{
  probe->n_paints++;
  probe->last_paint = bench_now ();
}

void
bench_probe_start (BenchProbe *probe,
                   GtkWidget  *widget)
{
  g_assert (gtk_widget_get_realized (widget));

  probe->widget = widget;
  probe->trace_gaps = g_getenv ("VOXPARSE_BENCH_TRACE_GAPS") != NULL;
  probe->paint_id = g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                                      G_CALLBACK (on_after_paint_cb), probe);
  /* at the priority of the window's own work, so a long job in between
   * shows as a gap */
  probe->probe_id = g_timeout_add_full (G_PRIORITY_DEFAULT, 1, on_probe_cb, probe, NULL);
  bench_probe_reset_gap (probe);
}

void
bench_probe_reset_gap (BenchProbe *probe)
{
  probe->last_probe = bench_now ();
  probe->max_gap = 0;
  if (probe->trace_gaps)
    g_printerr ("measuring gaps from %.6f\n", probe->last_probe);
}

void
bench_probe_stop (BenchProbe *probe)
{
  g_clear_signal_handler (&probe->paint_id, gtk_widget_get_frame_clock (probe->widget));
  g_clear_handle_id (&probe->probe_id, g_source_remove);
}

gboolean
bench_probe_wait_paint (BenchProbe *probe,
                        double      seconds)
{
  guint target = probe->n_paints + 1;
  double deadline = bench_now () + seconds;

  gtk_widget_queue_draw (probe->widget);
  while (probe->n_paints < target && bench_now () < deadline)
    g_main_context_iteration (NULL, TRUE);

  return probe->n_paints >= target;
}

gboolean
bench_wait_result_shown (VpWindow   *window,
                         const char *job_id,
                         double      seconds)
{
  double deadline = bench_now () + seconds;

  for (;;)
    {
      if (g_strcmp0 (_vp_window_get_shown_job_id (window), job_id) == 0 &&
          g_strcmp0 (_vp_window_get_view_state (window), "result") == 0 &&
          !_vp_window_is_view_busy (window))
        return TRUE;
      if (bench_now () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, TRUE);
    }
}

gboolean
bench_wait_list (VpWindow *window,
                 guint     n,
                 double    seconds)
{
  double deadline = bench_now () + seconds;

  for (;;)
    {
      VpJobList *list = _vp_window_get_job_list (window);

      if (list != NULL && !vp_job_list_is_loading (list))
        {
          if (g_list_model_get_n_items (G_LIST_MODEL (list)) >= n ||
              !vp_job_list_has_more (list))
            return TRUE;
          vp_job_list_load_more (list);
        }
      if (bench_now () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, TRUE);
    }
}
