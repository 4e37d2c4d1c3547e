/* test-window-faults.c: the window while the server misbehaves
 *
 * Runs under a headless display (tests/headless.sh), against a sandbox
 * served from its own thread.  For a selection of faults: the window keeps
 * the jobs and the call it already shows, says what went wrong, keeps its
 * main loop turning (a 5 ms timeout, "the probe", keeps firing while the
 * faulty answer is awaited; its largest gap is reported, not asserted),
 * and comes back once the fault clears, without a restart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-window-faults"

#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "vp-client.h"
#include "vp-error.h"
#include "vp-job-filter.h"
#include "vp-job-list.h"
#include "vp-result-cache.h"
#include "vp-sandbox.h"
#include "vp-window-private.h"
#include "test-util.h"

#define TEST_KEY "window-faults-key-31b7"

typedef struct {
  VpSandbox *sandbox;
  VpClient  *client;
  VpWindow  *window;
  guint      n_items;
  char      *shown_id;

  guint      probe_id;
  guint      probe_ticks;
  gint64     probe_last;
  gint64     probe_max_gap;
} Fixture;

static gboolean
probe_cb (gpointer user_data)
{
  Fixture *f = user_data;
  gint64 now = g_get_monotonic_time ();

  if (f->probe_last != 0)
    f->probe_max_gap = MAX (f->probe_max_gap, now - f->probe_last);
  f->probe_last = now;
  f->probe_ticks++;

  return G_SOURCE_CONTINUE;
}

static void
probe_start (Fixture *f)
{
  f->probe_ticks = 0;
  f->probe_last = 0;
  f->probe_max_gap = 0;
  f->probe_id = g_timeout_add (5, probe_cb, f);
}

/* @waited: the answer took a while, so the probe must have fired */
static void
probe_stop (Fixture    *f,
            const char *what,
            gboolean    waited)
{
  g_clear_handle_id (&f->probe_id, g_source_remove);
  g_test_message ("probe during %s: %u ticks, largest gap %.1f ms",
                  what, f->probe_ticks, f->probe_max_gap / 1000.0);
  if (waited)
    g_assert_cmpuint (f->probe_ticks, >, 0);
}

static VpJobList *
job_list (Fixture *f)
{
  return _vp_window_get_job_list (f->window);
}

static gboolean
view_settled (Fixture *f)
{
  const char *state = _vp_window_get_view_state (f->window);

  /* a pending job stays "busy": its status is polled */
  return g_strcmp0 (state, "pending") == 0 ||
         (!_vp_window_is_view_busy (f->window) &&
          (g_strcmp0 (state, "result") == 0 || g_strcmp0 (state, "failed") == 0 ||
           g_strcmp0 (state, "error") == 0));
}

static gboolean
list_settled (Fixture *f)
{
  return !vp_job_list_is_loading (job_list (f));
}

/* What was loaded before the fault is still there. */
static void
assert_nothing_lost (Fixture *f)
{
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (job_list (f))), ==, f->n_items);
  g_assert_cmpstr (_vp_window_get_shown_job_id (f->window), ==, f->shown_id);
  g_assert_cmpstr (_vp_window_get_page (f->window), ==, "browser");
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->sandbox = vp_sandbox_new (9, 120, TEST_KEY);
  g_assert_true (vp_sandbox_start_thread (f->sandbox, 0, &error));
  g_assert_no_error (error);

  f->client = vp_client_new (vp_sandbox_get_base_url (f->sandbox), TEST_KEY);
  g_object_set (f->client, "retry-delay", 5, NULL);

  f->window = vp_window_new (NULL);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 760);
  vp_window_set_client (f->window, f->client, NULL);
  gtk_window_present (GTK_WINDOW (f->window));

  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (job_list (f))) > 0 && list_settled (f));
  /* A completed call is on show (the newest jobs may be in progress). */
  {
    GListModel *model = G_LIST_MODEL (job_list (f));

    for (guint i = 0; i < g_list_model_get_n_items (model) && f->shown_id == NULL; i++)
      {
        g_autoptr(VpJob) job = g_list_model_get_item (model, i);

        if (vp_job_get_status (job) == VP_JOB_STATUS_COMPLETED)
          f->shown_id = g_strdup (vp_job_get_id (job));
      }
    g_assert_nonnull (f->shown_id);
    g_assert_true (_vp_window_select_job (f->window, f->shown_id));
  }
  WAIT_UNTIL (g_strcmp0 (_vp_window_get_shown_job_id (f->window), f->shown_id) == 0 &&
              g_strcmp0 (_vp_window_get_view_state (f->window), "result") == 0 &&
              !_vp_window_is_view_busy (f->window));
  f->n_items = g_list_model_get_n_items (G_LIST_MODEL (job_list (f)));
  g_assert_false (_vp_window_get_banner_revealed (f->window));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_handle_id (&f->probe_id, g_source_remove);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_null (f->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->client);
  g_clear_object (&f->sandbox);
  g_clear_pointer (&f->shown_id, g_free);
}

/* The list is asked again under a fault of its requests, then again once
 * the fault has cleared. */
typedef struct {
  VpSandboxFault  fault;
  double          param;
  const char     *says;      /* in the banner when it shows, else the list's error */
  gboolean        banner;    /* the window's banner explains it */
} ListCase;

static const ListCase list_cases[] = {
  { VP_SANDBOX_FAULT_SERVER_ERROR, 503, "The server had a problem (HTTP 503)", FALSE },
  { VP_SANDBOX_FAULT_SERVER_ERROR, 500, "The server had a problem (HTTP 500)", FALSE },
  { VP_SANDBOX_FAULT_RATE_LIMIT,   30,  "asks to wait 30 seconds", TRUE },
  { VP_SANDBOX_FAULT_DROP,         -1,  "broke before the whole answer arrived", TRUE },
  { VP_SANDBOX_FAULT_NOT_JSON,     -1,  "not valid JSON", FALSE },
};

static void
test_list_fault (Fixture       *f,
                 gconstpointer  data)
{
  const ListCase *c = data;
  const GError *error;

  vp_sandbox_set_fault_full (f->sandbox, c->fault, c->param, 1.0, VP_SANDBOX_REQUESTS_LIST);

  probe_start (f);
  vp_window_refresh (f->window);
  WAIT_UNTIL (list_settled (f) && vp_job_list_get_error (job_list (f)) != NULL);
  probe_stop (f, vp_sandbox_fault_to_string (c->fault), FALSE);

  error = vp_job_list_get_error (job_list (f));
  g_test_message ("list error: %s", error->message);
  if (c->banner)
    {
      WAIT_UNTIL (_vp_window_get_banner_revealed (f->window));
      g_test_message ("banner: %s", _vp_window_get_banner_text (f->window));
      g_assert_nonnull (strstr (_vp_window_get_banner_text (f->window), c->says));
    }
  else
    g_assert_nonnull (strstr (error->message, c->says));
  assert_nothing_lost (f);

  /* Cleared: refreshing brings the window back, as it was. */
  vp_sandbox_clear_faults (f->sandbox);
  vp_window_refresh (f->window);
  WAIT_UNTIL (list_settled (f) && vp_job_list_get_error (job_list (f)) == NULL &&
              !_vp_window_get_banner_revealed (f->window));
  assert_nothing_lost (f);
}

/* Another completed job, with its result asked under a fault of results */
static const char *
other_completed (Fixture *f)
{
  GListModel *model = G_LIST_MODEL (job_list (f));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(VpJob) job = g_list_model_get_item (model, i);

      if (vp_job_get_status (job) == VP_JOB_STATUS_COMPLETED &&
          g_strcmp0 (vp_job_get_id (job), f->shown_id) != 0)
        return vp_job_get_id (job);   /* the list keeps it */
    }

  return NULL;
}

static void
test_result_not_json (Fixture       *f,
                      gconstpointer  data)
{
  const char *other = other_completed (f);
  g_autofree char *text = NULL;

  g_assert_nonnull (other);
  vp_sandbox_set_fault_full (f->sandbox, VP_SANDBOX_FAULT_NOT_JSON, -1, 1.0, VP_SANDBOX_REQUESTS_RESULT);

  g_assert_true (_vp_window_select_job (f->window, other));
  WAIT_UNTIL (view_settled (f));
  g_assert_cmpstr (_vp_window_get_view_state (f->window), ==, "error");
  text = _vp_window_dup_field_text (f->window, "view", "error_placeholder");
  g_test_message ("view: %s", text);
  g_assert_nonnull (strstr (text, "cannot read"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (job_list (f))), ==, f->n_items);

  /* Cleared: asked again, the call shows. */
  vp_sandbox_clear_faults (f->sandbox);
  g_assert_true (_vp_window_select_job (f->window, f->shown_id));
  WAIT_UNTIL (view_settled (f));
  g_assert_true (_vp_window_select_job (f->window, other));
  WAIT_UNTIL (view_settled (f) && g_strcmp0 (_vp_window_get_view_state (f->window), "result") == 0);
}

static void
test_huge_transcript (Fixture       *f,
                      gconstpointer  data)
{
  const char *other = other_completed (f);

  g_assert_nonnull (other);
  vp_sandbox_set_fault (f->sandbox, VP_SANDBOX_FAULT_HUGE_TRANSCRIPT, 10);

  probe_start (f);
  g_assert_true (_vp_window_select_job (f->window, other));
  WAIT_UNTIL (view_settled (f));
  probe_stop (f, "a 10 MB transcript, loaded and shown", TRUE);
  g_assert_cmpstr (_vp_window_get_view_state (f->window), ==, "result");
  g_assert_cmpstr (_vp_window_get_shown_job_id (f->window), ==, other);
}

static void
test_trickle (Fixture       *f,
              gconstpointer  data)
{
  /* A list page at a byte a millisecond: slow, but it arrives. */
  vp_sandbox_set_fault_full (f->sandbox, VP_SANDBOX_FAULT_TRICKLE, 1, 1.0, VP_SANDBOX_REQUESTS_LIST);
  vp_sandbox_add_jobs (f->sandbox, 2);

  probe_start (f);
  vp_window_refresh (f->window);
  WAIT_UNTIL (list_settled (f) &&
              g_list_model_get_n_items (G_LIST_MODEL (job_list (f))) == f->n_items + 2);
  probe_stop (f, "a trickled list page", TRUE);
  g_assert_null (vp_job_list_get_error (job_list (f)));
  g_assert_cmpstr (_vp_window_get_shown_job_id (f->window), ==, f->shown_id);
}

static void
test_redirect (Fixture       *f,
               gconstpointer  data)
{
  g_auto(GStrv) foreign = NULL;

  /* Followed to the other origin without the key */
  vp_sandbox_set_fault (f->sandbox, VP_SANDBOX_FAULT_REDIRECT, -1);
  vp_sandbox_add_jobs (f->sandbox, 1);
  vp_window_refresh (f->window);
  WAIT_UNTIL (list_settled (f) &&
              g_list_model_get_n_items (G_LIST_MODEL (job_list (f))) == f->n_items + 1);

  g_assert_cmpuint (vp_sandbox_get_foreign_request_count (f->sandbox), >, 0);
  foreign = vp_sandbox_dup_keys_received (f->sandbox, TRUE);
  g_assert_cmpuint (g_strv_length (foreign), ==, 0);
}

/* Every completed listed job has its result (or its lasting error) */
static gboolean
all_checked (Fixture *f)
{
  VpResultCache *cache = _vp_window_get_result_cache (f->window);
  GListModel *model = G_LIST_MODEL (job_list (f));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(VpJob) job = g_list_model_get_item (model, i);

      if (vp_job_get_status (job) == VP_JOB_STATUS_COMPLETED &&
          !vp_result_cache_is_known (cache, vp_job_get_id (job)))
        return FALSE;
    }

  return TRUE;
}

/* A connection error while results are fetched for a filter ends the
 * queue: the banner says why, and refreshing (or Retry) fetches the rest. */
static void
test_result_fetch_stalls (Fixture       *f,
                          gconstpointer  data)
{
  VpResultCache *cache = _vp_window_get_result_cache (f->window);
  g_autoptr(VpJobFilter) filter = vp_job_filter_new ();

  vp_sandbox_set_fault_full (f->sandbox, VP_SANDBOX_FAULT_DROP, -1, 1.0, VP_SANDBOX_REQUESTS_RESULT);

  vp_job_filter_set_text (filter, "refund");
  _vp_window_set_filter (f->window, filter);

  WAIT_UNTIL (_vp_window_get_banner_revealed (f->window) &&
              vp_result_cache_get_n_in_flight (cache) == 0);
  g_test_message ("banner: %s", _vp_window_get_banner_text (f->window));
  g_assert_nonnull (strstr (_vp_window_get_banner_text (f->window), "broke before the whole answer arrived"));
  /* The queue ended: nothing more would come by itself */
  g_assert_cmpuint (vp_result_cache_get_n_queued (cache), ==, 0);
  g_assert_false (all_checked (f));
  /* (the filter loads more pages: only the call shown is compared) */
  g_assert_cmpstr (_vp_window_get_shown_job_id (f->window), ==, f->shown_id);

  vp_sandbox_clear_faults (f->sandbox);
  vp_window_refresh (f->window);
  WAIT_UNTIL (list_settled (f) && all_checked (f));
  g_assert_cmpuint (vp_result_cache_get_n_queued (cache), ==, 0);
}

/* A call whose result the audit scan fetched opens without a request. */
static void
test_reader_uses_cache (Fixture       *f,
                        gconstpointer  data)
{
  VpResultCache *cache = _vp_window_get_result_cache (f->window);
  const char *other = other_completed (f);
  guint n_requests;

  g_assert_nonnull (other);
  /* What the reader fetched is in the cache too */
  g_assert_nonnull (vp_result_cache_lookup (cache, f->shown_id));

  _vp_window_show_view (f->window, "audit");
  WAIT_UNTIL (vp_result_cache_lookup (cache, other) != NULL);
  _vp_window_show_view (f->window, "calls");
  /* The rest of the scan is cancelled: its answers come back, and so does
   * the page of jobs the scan may have asked for */
  WAIT_UNTIL (vp_result_cache_get_n_in_flight (cache) == 0 &&
              vp_result_cache_get_n_queued (cache) == 0 &&
              list_settled (f));

  n_requests = vp_sandbox_get_request_count (f->sandbox);
  g_assert_true (_vp_window_select_job (f->window, other));
  WAIT_UNTIL (g_strcmp0 (_vp_window_get_shown_job_id (f->window), other) == 0 &&
              view_settled (f));
  g_assert_cmpstr (_vp_window_get_view_state (f->window), ==, "result");
  g_assert_cmpuint (vp_sandbox_get_request_count (f->sandbox), ==, n_requests);
}

/* A pending call is not checked while the Audit view hides the reader. */
static void
test_poll_paused_off_screen (Fixture       *f,
                             gconstpointer  data)
{
  GListModel *model = G_LIST_MODEL (job_list (f));
  const char *pending = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (model) && pending == NULL; i++)
    {
      g_autoptr(VpJob) job = g_list_model_get_item (model, i);

      if (!vp_job_is_finished (job))
        pending = vp_job_get_id (job);
    }
  if (pending == NULL)
    {
      g_test_skip ("no job in progress");
      return;
    }

  g_assert_true (_vp_window_select_job (f->window, pending));
  WAIT_UNTIL (g_strcmp0 (_vp_window_get_view_state (f->window), "pending") == 0 &&
              _vp_window_get_poll_delay (f->window) > 0);

  _vp_window_show_view (f->window, "audit");
  g_assert_cmpuint (_vp_window_get_poll_delay (f->window), ==, 0);
  g_assert_false (_vp_window_is_view_busy (f->window));

  _vp_window_show_view (f->window, "calls");
  WAIT_UNTIL (g_strcmp0 (_vp_window_get_view_state (f->window), "pending") == 0 &&
              _vp_window_get_poll_delay (f->window) > 0);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("TZ", "UTC", TRUE);

  gtk_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("/window-faults/list/server-error-503", test_list_fault, &list_cases[0]);
  ADD ("/window-faults/list/server-error-500", test_list_fault, &list_cases[1]);
  ADD ("/window-faults/list/rate-limit", test_list_fault, &list_cases[2]);
  ADD ("/window-faults/list/drop", test_list_fault, &list_cases[3]);
  ADD ("/window-faults/list/not-json", test_list_fault, &list_cases[4]);
  ADD ("/window-faults/result/not-json", test_result_not_json, NULL);
  ADD ("/window-faults/result/huge-transcript", test_huge_transcript, NULL);
  ADD ("/window-faults/trickle", test_trickle, NULL);
  ADD ("/window-faults/redirect", test_redirect, NULL);
  ADD ("/window-faults/result/fetch-stalls", test_result_fetch_stalls, NULL);
  ADD ("/window-faults/result/reader-uses-cache", test_reader_uses_cache, NULL);
  ADD ("/window-faults/poll-paused-off-screen", test_poll_paused_off_screen, NULL);

  return g_test_run ();
}
