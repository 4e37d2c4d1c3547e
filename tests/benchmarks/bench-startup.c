/* bench-startup.c: from process start to the first page of jobs drawn
 *
 * Runs under a display (headless.sh: Xvfb, GSK_RENDERER=cairo).  Each
 * round starts, one after the other:
 *
 *  - the baseline, bench-minimal-window: a GtkApplication presenting an
 *    empty window of the same size, which reports the end of its first
 *    painted frame;
 *  - voxparse-browser --base-url … --api-key … with
 *    VOXPARSE_BENCH_FIRST_PAGE=1, which reports the end of the first frame
 *    painted after the first page of jobs arrived (vp-application.c).
 *
 * Both print CLOCK_MONOTONIC on stderr; the time is from just before the
 * launcher spawns the process.  The sandbox is a separate process, started
 * and warmed up before the rounds, so what is measured is the app's own
 * start-up; its CPU time over the rounds is printed to show it idles.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-startup"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-util.h"

/* Seconds from spawn to the reported frame */
static double
time_to_first_frame (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *t0_text = NULL;
  const char *p;
  int status;
  double t0, t1;

  t0 = bench_now ();
  t0_text = g_strdup_printf ("%.0f", t0 * 1e9);
  envp = g_environ_setenv (envp, "VOXPARSE_BENCH_T0", t0_text, TRUE);
  envp = g_environ_setenv (envp, "VOXPARSE_BENCH_FIRST_PAGE", "1", TRUE);

  if (!g_spawn_sync (NULL, (char **) argv, envp, 0, NULL, NULL,
                     NULL, &err, &status, &error))
    g_error ("Cannot run %s: %s", argv[0], error->message);

  if ((p = strstr (err, "VOXPARSE_BENCH_FIRST_PAGE ")) == NULL)
    g_error ("%s did not report its first frame:\n%s", argv[0], err);

  t1 = g_ascii_strtod (p + strlen ("VOXPARSE_BENCH_FIRST_PAGE "), NULL) / 1e9;

  return t1 - t0;
}

int
main (int   argc,
      char *argv[])
{
  BenchSandbox *sandbox;
  const char *browser = g_getenv ("VOXPARSE_BROWSER");
  g_autofree char *minimal = NULL;
  g_autofree char *warm_url = NULL;
  guint rounds = bench_rounds (9);
  double app_times[64], minimal_times[64], ratios[64];
  double cpu0, t0, sandbox_busy;
  gboolean pass;

  rounds = MIN (rounds, G_N_ELEMENTS (app_times));
  if (browser == NULL)
    g_error ("VOXPARSE_BROWSER is not set");
  minimal = g_build_filename (g_path_get_dirname (argv[0]), "bench-minimal-window", NULL);

  bench_print_load ();
  sandbox = bench_sandbox_start ("--jobs=300", NULL);

  {
    const char * const app_argv[] = { browser, "--base-url", sandbox->base_url,
                                      "--api-key", BENCH_API_KEY, NULL };
    const char * const minimal_argv[] = { minimal, NULL };

    /* warm up: the page cache, fontconfig's cache, the sandbox's first page */
    time_to_first_frame (minimal_argv);
    time_to_first_frame (app_argv);

    cpu0 = bench_sandbox_cpu (sandbox);
    t0 = bench_now ();
    for (guint r = 0; r < rounds; r++)
      {
        minimal_times[r] = time_to_first_frame (minimal_argv) * 1000;
        app_times[r] = time_to_first_frame (app_argv) * 1000;
        ratios[r] = app_times[r] / minimal_times[r];
        printf ("  round %u: minimal window %.1f ms, voxparse-browser %.1f ms (x%.2f)\n",
                r + 1, minimal_times[r], app_times[r], ratios[r]);
        fflush (stdout);
      }
    sandbox_busy = (bench_sandbox_cpu (sandbox) - cpu0) / (bench_now () - t0);
  }

  printf ("start-up: %u rounds, interleaved; the sandbox used %.1f %% of a core meanwhile "
          "(one page of jobs per app start)\n", rounds, 100 * sandbox_busy);
  printf ("  median of the per-round ratios: %.2f\n", bench_median (ratios, rounds));
  pass = bench_report ("start to first page drawn (median)",
                       bench_median (app_times, rounds),
                       bench_median (minimal_times, rounds),
                       "ms", TRUE, 1.3);

  bench_sandbox_stop (sandbox);

  return pass ? EXIT_SUCCESS : EXIT_FAILURE;
}
