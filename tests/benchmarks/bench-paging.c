/* bench-paging.c: browsing 100,000 jobs page by page
 *
 * The measurement: a VpJobList (page size 100) loads all 1,000 pages of a
 * sandbox holding 100,000 jobs.  The baseline: a bare libsoup + json-glib
 * loop fetching and parsing the same pages (send_and_read, JsonParser, one
 * keep-alive session).  The two run interleaved, a block of pages each in
 * turn, so both see the same machine; the figure is the median over the
 * blocks of the time per page.  Memory: malloc's bytes in use before the
 * list and after its 100,000 jobs, per job.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-paging"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench-util.h"
#include "vp-job-list.h"

#define N_JOBS 100000
#define PAGE_SIZE 100
#define BLOCK_PAGES 50

typedef struct {
  SoupSession *session;
  const char  *base_url;
  GBytes      *body;
  gboolean     done;
  guint        n_jobs_seen;
} Bare;

static void
on_bare_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Bare *bare = user_data;
  g_autoptr(GError) error = NULL;

  bare->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (bare->body == NULL)
    g_error ("Baseline request failed: %s", error->message);
  bare->done = TRUE;
}

/* The baseline: fetch one page and parse it, touching every job's id. */
static void
bare_fetch_page (Bare  *bare,
                 guint  offset)
{
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  JsonArray *jobs;
  gsize len;
  const char *data;

  url = g_strdup_printf ("%s/v1/jobs?limit=%u&offset=%u", bare->base_url, PAGE_SIZE, offset);
  message = soup_message_new (SOUP_METHOD_GET, url);
  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "X-API-Key", BENCH_API_KEY);
  bare->done = FALSE;
  soup_session_send_and_read_async (bare->session, message, G_PRIORITY_DEFAULT,
                                    NULL, on_bare_read_cb, bare);
  if (!bench_wait_for (&bare->done, 60))
    g_error ("Baseline request timed out");

  body = g_steal_pointer (&bare->body);
  data = g_bytes_get_data (body, &len);
  if (!json_parser_load_from_data (parser, data, len, &error))
    g_error ("Baseline parse failed: %s", error->message);

  jobs = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "jobs");
  for (guint i = 0; i < json_array_get_length (jobs); i++)
    if (json_object_get_string_member (json_array_get_object_element (jobs, i), "id") != NULL)
      bare->n_jobs_seen++;
}

typedef struct {
  VpJobList *list;
  gboolean   idle;
  guint      requests;
} Listed;

static void
on_loading_cb (VpJobList  *list,
               GParamSpec *pspec,
               Listed     *listed)
{
  listed->idle = !vp_job_list_is_loading (list);
}

static void
list_load_page (Listed *listed)
{
  listed->idle = FALSE;
  listed->requests++;
  vp_job_list_load_more (listed->list);
  if (!bench_wait_for (&listed->idle, 60))
    g_error ("Job list page timed out");
  if (vp_job_list_get_error (listed->list) != NULL)
    g_error ("Job list failed: %s", vp_job_list_get_error (listed->list)->message);
}

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
  Bare bare = { 0 };
  Listed listed = { 0 };
  g_autoptr(GArray) list_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) bare_times = g_array_new (FALSE, FALSE, sizeof (double));
  double list_total = 0, bare_total = 0, sandbox_cpu = 0, wall = 0, self_cpu;
  gsize heap_before, heap_after, rss_before, rss_after;
  guint n_pages = N_JOBS / PAGE_SIZE;
  double per_job;
  gboolean pass = TRUE;

  bench_print_load ();
  sandbox = bench_sandbox_start ("--jobs=100000", NULL);
  bare.base_url = sandbox->base_url;
  bare.session = soup_session_new ();

  /* warm up both paths (connections, first allocations) */
  for (guint i = 0; i < 5; i++)
    bare_fetch_page (&bare, i * PAGE_SIZE);
  client = vp_client_new (sandbox->base_url, BENCH_API_KEY);
  {
    g_autoptr(VpJobList) warm = vp_job_list_new (client, PAGE_SIZE);
    Listed w = { warm, FALSE, 0 };

    g_signal_connect (warm, "notify::loading", G_CALLBACK (on_loading_cb), &w);
    for (guint i = 0; i < 5; i++)
      list_load_page (&w);
  }

  malloc_trim (0);
  heap_before = heap_in_use ();
  rss_before = bench_self_rss ();
  listed.list = vp_job_list_new (client, PAGE_SIZE);
  g_signal_connect (listed.list, "notify::loading", G_CALLBACK (on_loading_cb), &listed);

  /* Interleaved blocks: the list's next BLOCK_PAGES pages, then the same
   * pages by the bare loop. */
  self_cpu = bench_self_cpu ();
  for (guint first = 0; first < n_pages; first += BLOCK_PAGES)
    {
      guint n = MIN (BLOCK_PAGES, n_pages - first);
      double t0, t1, t2, cpu0, list_ms, bare_ms;

      cpu0 = bench_sandbox_cpu (sandbox);
      t0 = bench_now ();
      /* VpJobList asks for one job more than a page from its tail, to see
       * whether the list moved, and the server gives 100 at most: a page
       * of 100 brings 99 new jobs.  So it loads until it holds as many
       * jobs as the bare loop will have fetched: the time per 100 jobs. */
      while (g_list_model_get_n_items (G_LIST_MODEL (listed.list)) < (first + n) * PAGE_SIZE &&
             (listed.requests == 0 || vp_job_list_has_more (listed.list)))
        list_load_page (&listed);
      t1 = bench_now ();
      for (guint i = 0; i < n; i++)
        bare_fetch_page (&bare, (first + i) * PAGE_SIZE);
      t2 = bench_now ();
      sandbox_cpu += bench_sandbox_cpu (sandbox) - cpu0;
      wall += t2 - t0;

      list_ms = (t1 - t0) / n * 1000;
      bare_ms = (t2 - t1) / n * 1000;
      g_array_append_val (list_times, list_ms);
      g_array_append_val (bare_times, bare_ms);
      list_total += t1 - t0;
      bare_total += t2 - t1;
    }
  self_cpu = bench_self_cpu () - self_cpu;

  heap_after = heap_in_use ();
  rss_after = bench_self_rss ();

  if (g_list_model_get_n_items (G_LIST_MODEL (listed.list)) != N_JOBS ||
      vp_job_list_has_more (listed.list))
    {
      printf ("the list holds %u jobs, not %u\n",
              g_list_model_get_n_items (G_LIST_MODEL (listed.list)), N_JOBS);
      pass = FALSE;
    }

  printf ("paging: %u pages of %u jobs, %u blocks of %u pages, interleaved "
          "(VpJobList needed %u requests)\n",
          n_pages, PAGE_SIZE, list_times->len, BLOCK_PAGES, listed.requests);
  printf ("  totals: VpJobList %.2f s, bare libsoup+json-glib %.2f s\n", list_total, bare_total);
  printf ("  sandbox CPU %.2f s over %.2f s of wall time (%.0f %% of one core); "
          "this process's CPU %.2f s: the sandbox is %s\n",
          sandbox_cpu, wall, 100 * sandbox_cpu / wall, self_cpu,
          sandbox_cpu < 0.8 * wall ? "not the bottleneck" : "BUSY (results unreliable)");

  pass &= bench_report ("time per 100 jobs (median of blocks)",
                        bench_median ((double *) list_times->data, list_times->len),
                        bench_median ((double *) bare_times->data, bare_times->len),
                        "ms", TRUE, 1.2);

  per_job = ((double) heap_after - (double) heap_before) / N_JOBS;
  printf ("  heap in use %.1f MiB -> %.1f MiB; RSS %.1f MiB -> %.1f MiB (%.0f B/job)\n",
          heap_before / 1048576.0, heap_after / 1048576.0,
          rss_before / 1048576.0, rss_after / 1048576.0,
          ((double) rss_after - (double) rss_before) / N_JOBS);
  printf ("%-34s %10.0f B/job                                    target <= 1024  %s\n",
          "memory per listed job (heap)", per_job, per_job <= 1024 ? "PASS" : "FAIL");
  pass &= per_job <= 1024;

  g_clear_object (&listed.list);
  g_clear_object (&bare.session);
  bench_sandbox_stop (sandbox);

  return pass ? EXIT_SUCCESS : EXIT_FAILURE;
}
