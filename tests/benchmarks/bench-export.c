/* bench-export.c: 1,000 results to CSV
 *
 * The measurement: VpExport (the engine behind `voxparse-browser export`
 * and the window's Export) writing the results of 1,000 completed jobs to
 * CSV.  Two baselines, from the same run:
 *
 *  - the obvious shell loop, one curl per job piped through jq
 *    (bench-export-shell.sh): the export must be at least 5x faster;
 *  - the sandbox's own maximum throughput for the same 1,000 result URLs,
 *    measured by wrk over keep-alive connections (as many as the export
 *    uses), interleaved with the export rounds: the export must reach at
 *    least 80 % of it.  The sandbox keeps only 32 results, so both generate
 *    every result afresh: like with like.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-export"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "bench-util.h"
#include "vp-export.h"

#define N_RESULTS 1000

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
is_set (GAsyncResult **result)
{
  return *result != NULL;
}

/* The first N_RESULTS completed jobs, newest first */
static GPtrArray *
list_completed (VpClient *client)
{
  GPtrArray *jobs = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint offset = 0; jobs->len < N_RESULTS; offset += VP_CLIENT_MAX_LIMIT)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) page = NULL;
      g_autoptr(GError) error = NULL;
      gboolean done;

      vp_client_list_jobs_async (client, VP_CLIENT_MAX_LIMIT, offset, NULL, store_result_cb, &result);
      while (!is_set (&result))
        g_main_context_iteration (NULL, TRUE);
      page = vp_client_list_jobs_finish (client, result, &error);
      if (page == NULL)
        g_error ("Listing failed: %s", error->message);

      for (guint i = 0; i < page->len && jobs->len < N_RESULTS; i++)
        if (vp_job_get_status (g_ptr_array_index (page, i)) == VP_JOB_STATUS_COMPLETED)
          g_ptr_array_add (jobs, g_object_ref (g_ptr_array_index (page, i)));

      done = page->len < VP_CLIENT_MAX_LIMIT;
      if (done && jobs->len < N_RESULTS)
        g_error ("The sandbox has only %u completed jobs", jobs->len);
    }

  return jobs;
}

/* Results per second */
static double
run_export (VpClient  *client,
            GPtrArray *jobs,
            GFile     *file)
{
  g_autoptr(VpExport) export = vp_export_new (client, VP_EXPORT_FORMAT_CSV, file);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  double t0;

  for (guint i = 0; i < jobs->len; i++)
    vp_export_add_job (export, g_ptr_array_index (jobs, i));

  t0 = bench_now ();
  vp_export_run_async (export, NULL, store_result_cb, &result);
  while (!is_set (&result))
    g_main_context_iteration (NULL, TRUE);
  if (!vp_export_run_finish (export, result, &error))
    g_error ("Export failed: %s", error->message);
  if (vp_export_get_n_exported (export) != jobs->len)
    g_error ("Exported %u of %u", vp_export_get_n_exported (export), jobs->len);

  return jobs->len / (bench_now () - t0);
}

/* Requests per second, as wrk says */
static double
run_wrk (const char *base_url,
         const char *script)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *connections = g_strdup_printf ("-c%d", VP_EXPORT_MAX_CONCURRENT);
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "wrk", "-t1", connections, "-d4s", "-s", script, base_url, NULL };
  int status;
  const char *p;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     &out, &err, &status, &error))
    g_error ("Cannot run wrk: %s", error->message);
  if ((p = strstr (out, "Requests/sec:")) == NULL)
    g_error ("wrk said: %s%s", out, err);
  if (strstr (out, "Non-2xx") != NULL)
    g_error ("wrk got errors: %s", out);

  return g_ascii_strtod (p + strlen ("Requests/sec:"), NULL);
}

/* Seconds the shell loop takes */
static double
run_shell (const char *base_url,
           const char *ids_path,
           const char *out_path)
{
  g_autofree char *script = g_build_filename (g_getenv ("BENCH_SOURCE_DIR") ? g_getenv ("BENCH_SOURCE_DIR") : ".",
                                              "bench-export-shell.sh", NULL);
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "sh", script, base_url, BENCH_API_KEY, ids_path, out_path, NULL };
  int status;
  double t0 = bench_now ();

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("The shell loop failed: %s", error->message);

  return bench_now () - t0;
}

int
main (int   argc,
      char *argv[])
{
  BenchSandbox *sandbox;
  g_autoptr(VpClient) client = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GString) ids = g_string_new (NULL);
  g_autoptr(GString) lua = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *ids_path = NULL;
  g_autofree char *lua_path = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *shell_csv_path = NULL;
  g_autoptr(GFile) csv = NULL;
  guint rounds = bench_rounds (3);
  double export_rates[16], wrk_rates[16], export_sandbox_busy[16], wrk_sandbox_busy[16];
  double shell_seconds, export_rate, wrk_rate;
  gboolean pass = TRUE;

  rounds = MIN (rounds, G_N_ELEMENTS (export_rates));
  bench_print_load ();
  sandbox = bench_sandbox_start ("--jobs=1500", NULL);
  client = vp_client_new (sandbox->base_url, BENCH_API_KEY);
  jobs = list_completed (client);

  dir = g_dir_make_tmp ("bench-export-XXXXXX", &error);
  g_assert_no_error (error);
  ids_path = g_build_filename (dir, "ids", NULL);
  lua_path = g_build_filename (dir, "results.lua", NULL);
  csv_path = g_build_filename (dir, "export.csv", NULL);
  shell_csv_path = g_build_filename (dir, "shell.csv", NULL);
  csv = g_file_new_for_path (csv_path);

  for (guint i = 0; i < jobs->len; i++)
    g_string_append_printf (ids, "%s\n", vp_job_get_id (g_ptr_array_index (jobs, i)));
  g_file_set_contents (ids_path, ids->str, ids->len, &error);
  g_assert_no_error (error);

  /* wrk cycles through the same 1,000 result URLs, one after another */
  g_string_append_printf (lua,
    "local paths = {}\n"
    "for id in io.lines(\"%s\") do paths[#paths + 1] = \"/v1/jobs/\" .. id .. \"/result\" end\n"
    "local i = 0\n"
    "request = function()\n"
    "  i = i %% #paths + 1\n"
    "  return wrk.format(\"GET\", paths[i], { [\"X-API-Key\"] = \"%s\" })\n"
    "end\n", ids_path, BENCH_API_KEY);
  g_file_set_contents (lua_path, lua->str, lua->len, &error);
  g_assert_no_error (error);

  /* warm-up: connections, code paths */
  run_export (client, jobs, csv);

  for (guint r = 0; r < rounds; r++)
    {
      double cpu0, t0;

      cpu0 = bench_sandbox_cpu (sandbox);
      t0 = bench_now ();
      wrk_rates[r] = run_wrk (sandbox->base_url, lua_path);
      wrk_sandbox_busy[r] = (bench_sandbox_cpu (sandbox) - cpu0) / (bench_now () - t0);

      cpu0 = bench_sandbox_cpu (sandbox);
      t0 = bench_now ();
      export_rates[r] = run_export (client, jobs, csv);
      export_sandbox_busy[r] = (bench_sandbox_cpu (sandbox) - cpu0) / (bench_now () - t0);

      printf ("  round %u: wrk %.0f results/s (sandbox %.0f %% of a core), "
              "VpExport %.0f results/s (sandbox %.0f %% of a core)\n",
              r + 1, wrk_rates[r], 100 * wrk_sandbox_busy[r],
              export_rates[r], 100 * export_sandbox_busy[r]);
      fflush (stdout);
    }

  shell_seconds = run_shell (sandbox->base_url, ids_path, shell_csv_path);
  export_rate = bench_median (export_rates, rounds);
  wrk_rate = bench_median (wrk_rates, rounds);

  printf ("export: %u results to CSV; shell loop (curl | jq per job) %.1f s = %.0f results/s\n",
          jobs->len, shell_seconds, jobs->len / shell_seconds);
  printf ("  the sandbox is single-threaded: wrk's figure is its ceiling for these requests "
          "(median %.0f %% of a core busy under wrk)\n",
          100 * bench_median (wrk_sandbox_busy, rounds));
  pass &= bench_report ("export vs shell loop (results/s)",
                        export_rate, jobs->len / shell_seconds, "res/s", FALSE, 5.0);
  pass &= bench_report ("export vs sandbox max (wrk)",
                        export_rate, wrk_rate, "res/s", FALSE, 0.8);

  g_unlink (ids_path);
  g_unlink (lua_path);
  g_unlink (csv_path);
  g_unlink (shell_csv_path);
  g_rmdir (dir);
  bench_sandbox_stop (sandbox);

  return pass ? EXIT_SUCCESS : EXIT_FAILURE;
}
