/* bench-session-memory.c: memory over a session of 1,000 calls
 *
 * Runs under a display (headless.sh).  A window lists the sandbox's jobs
 * until it holds 1,000 completed ones (the list is loaded first, so what
 * grows afterwards is what opening calls leaves behind), then opens each
 * in turn: selects it, waits until its result is shown and a frame painted.
 * Resident memory after the 1,000th must be at most 1.5x what it was after
 * the first ten: results are cached with a bound, not kept forever.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-session-memory"

#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench-util.h"
#include "bench-window-util.h"
#include "vp-client.h"

#define N_CALLS 1000
#define N_FIRST 10

static gsize
heap_in_use (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks + info.hblkhd;
}

int
main (int   argc,
      char *argv[])
{
  BenchSandbox *sandbox;
  g_autoptr(VpClient) client = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  VpWindow *window;
  VpJobList *list;
  BenchProbe probe = { 0 };
  gsize rss_first = 0, heap_first = 0, rss_last, heap_last;
  double t0, cpu0, elapsed;
  gboolean pass;
  guint n_calls;

  gtk_init ();
  bench_print_load ();
  sandbox = bench_sandbox_start ("--jobs=1400", NULL);
  client = vp_client_new (sandbox->base_url, BENCH_API_KEY);

  window = vp_window_new (NULL);
  vp_window_set_client (window, client, NULL);
  gtk_window_present (GTK_WINDOW (window));
  bench_probe_start (&probe, GTK_WIDGET (window));

  if (!bench_wait_list (window, 1400, 60))
    g_error ("The list did not load");
  list = _vp_window_get_job_list (window);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)) && ids->len < N_CALLS; i++)
    {
      g_autoptr(VpJob) job = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (vp_job_get_status (job) == VP_JOB_STATUS_COMPLETED)
        g_ptr_array_add (ids, g_strdup (vp_job_get_id (job)));
    }
  /* Always the thousand calls the target speaks of (VOXPARSE_BENCH_ROUNDS
   * is the other benchmarks' rounds, not this one's calls) */
  n_calls = MIN (N_CALLS, ids->len);
  if (n_calls < 2 * N_FIRST)
    g_error ("Only %u completed calls listed", n_calls);
  printf ("session: %u completed jobs listed, opening %u of them in turn\n", ids->len, n_calls);

  cpu0 = bench_sandbox_cpu (sandbox);
  t0 = bench_now ();
  for (guint i = 0; i < n_calls; i++)
    {
      const char *id = g_ptr_array_index (ids, i);

      if (!_vp_window_select_job (window, id))
        g_error ("Job %s is not in the list", id);
      if (!bench_wait_result_shown (window, id, 60))
        g_error ("Job %s was not shown (state %s)", id, _vp_window_get_view_state (window));
      bench_probe_wait_paint (&probe, 10);

      if (i + 1 == N_FIRST)
        {
          rss_first = bench_self_rss ();
          heap_first = heap_in_use ();
        }
      if ((i + 1) % 100 == 0)
        {
          printf ("  after %4u calls: RSS %.1f MiB, heap in use %.1f MiB\n",
                  i + 1, bench_self_rss () / 1048576.0, heap_in_use () / 1048576.0);
          fflush (stdout);
        }
    }
  elapsed = bench_now () - t0;
  rss_last = bench_self_rss ();
  heap_last = heap_in_use ();

  printf ("  %.1f s for %u calls (%.0f ms each); the sandbox used %.0f %% of a core\n",
          elapsed, n_calls, 1000 * elapsed / n_calls,
          100 * (bench_sandbox_cpu (sandbox) - cpu0) / elapsed);
  printf ("  heap in use after %u calls %.1f MiB, after %u %.1f MiB (x%.2f)\n",
          N_FIRST, heap_first / 1048576.0, n_calls, heap_last / 1048576.0,
          (double) heap_last / heap_first);
  pass = bench_report ("RSS after 1,000 calls vs first 10",
                       rss_last / 1048576.0, rss_first / 1048576.0, "MiB", TRUE, 1.5);

  bench_probe_stop (&probe);
  gtk_window_destroy (GTK_WINDOW (window));
  bench_sandbox_stop (sandbox);

  return pass ? EXIT_SUCCESS : EXIT_FAILURE;
}
