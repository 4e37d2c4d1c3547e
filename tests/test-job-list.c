/* test-job-list.c: the paginated job list against the sandbox
 *
 * items-changed is checked the hard way: a consumer replays every emission
 * onto an array of its own and compares it with the model after each one,
 * as a GtkListView would rely on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "vp-error.h"
#include "vp-job-list.h"
#include "vp-sandbox.h"

#define TEST_KEY "list-key"

typedef struct {
  VpSandbox *sandbox;
  VpClient  *client;
  VpJobList *list;
  GPtrArray *replay;        /* ids, as the consumer saw them */
  guint      n_emissions;
} Fixture;

static void
check_replay_matches (Fixture *fixture)
{
  GListModel *model = G_LIST_MODEL (fixture->list);
  g_autoptr(GHashTable) unique = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpuint (fixture->replay->len, ==, g_list_model_get_n_items (model));

  for (guint i = 0; i < fixture->replay->len; i++)
    {
      g_autoptr(VpJob) job = g_list_model_get_item (model, i);

      g_assert_cmpstr (g_ptr_array_index (fixture->replay, i), ==, vp_job_get_id (job));
      /* Never the same job twice */
      g_assert_true (g_hash_table_add (unique, (gpointer) vp_job_get_id (job)));
    }
}

static void
on_items_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     Fixture    *fixture)
{
  g_assert_cmpuint (position + removed, <=, fixture->replay->len);

  g_ptr_array_remove_range (fixture->replay, position, removed);
  for (guint i = 0; i < added; i++)
    {
      g_autoptr(VpJob) job = g_list_model_get_item (model, position + i);

      g_assert_nonnull (job);
      g_ptr_array_insert (fixture->replay, position + i, g_strdup (vp_job_get_id (job)));
    }

  fixture->n_emissions++;
  check_replay_matches (fixture);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint n_jobs = GPOINTER_TO_UINT (data);

  fixture->sandbox = vp_sandbox_new (7, n_jobs, TEST_KEY);
  vp_sandbox_listen (fixture->sandbox, 0, &error);
  g_assert_no_error (error);

  fixture->client = vp_client_new (vp_sandbox_get_base_url (fixture->sandbox), TEST_KEY);
  fixture->list = vp_job_list_new (fixture->client, 20);
  fixture->replay = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->list, "items-changed", G_CALLBACK (on_items_changed_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->list);
  g_clear_object (&fixture->client);
  g_clear_object (&fixture->sandbox);
  g_clear_pointer (&fixture->replay, g_ptr_array_unref);
}

static void
wait_until_loaded (Fixture *fixture)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;

  while (vp_job_list_is_loading (fixture->list) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (vp_job_list_is_loading (fixture->list));
}

static void
load_page (Fixture *fixture)
{
  vp_job_list_load_more (fixture->list);
  wait_until_loaded (fixture);
  g_assert_no_error ((GError *) vp_job_list_get_error (fixture->list));
}

static void
load_all (Fixture *fixture)
{
  guint guard = 0;

  while (vp_job_list_has_more (fixture->list))
    {
      load_page (fixture);
      g_assert_cmpuint (++guard, <, 10000);
    }
}

/* The model holds exactly the sandbox's list, in order. */
static void
check_same_as_server (Fixture *fixture)
{
  GListModel *model = G_LIST_MODEL (fixture->list);
  guint n = g_list_model_get_n_items (model);

  g_assert_cmpuint (n, ==, vp_sandbox_get_n_jobs (fixture->sandbox));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(VpJob) job = g_list_model_get_item (model, i);
      g_autofree char *expected = vp_sandbox_dup_job_id (fixture->sandbox, i);

      g_assert_cmpstr (vp_job_get_id (job), ==, expected);
    }

  check_replay_matches (fixture);
}

static void
test_pages_to_the_end (Fixture       *fixture,
                       gconstpointer  data)
{
  guint n_jobs = GPOINTER_TO_UINT (data);

  g_assert_true (vp_job_list_has_more (fixture->list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 0);

  load_page (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, MIN (n_jobs, 20));

  load_all (fixture);
  check_same_as_server (fixture);
  g_assert_false (vp_job_list_has_more (fixture->list));

  /* At the end, asking for more does nothing. */
  vp_job_list_load_more (fixture->list);
  g_assert_false (vp_job_list_is_loading (fixture->list));
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_loading_property (Fixture       *fixture,
                       gconstpointer  data)
{
  guint n_notifies = 0;

  g_signal_connect (fixture->list, "notify::loading", G_CALLBACK (count_notify_cb), &n_notifies);

  vp_job_list_load_more (fixture->list);
  g_assert_true (vp_job_list_is_loading (fixture->list));
  g_assert_cmpuint (n_notifies, ==, 1);
  /* A second call while loading does not start another request. */
  vp_job_list_load_more (fixture->list);
  wait_until_loaded (fixture);
  g_assert_cmpuint (fixture->n_emissions, ==, 1);
  g_assert_cmpuint (n_notifies, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 20);

  g_signal_handlers_disconnect_by_func (fixture->list, count_notify_cb, &n_notifies);
}

static void
test_new_jobs_while_paging (Fixture       *fixture,
                            gconstpointer  data)
{
  guint n_before = vp_sandbox_get_n_jobs (fixture->sandbox);

  load_page (fixture);
  load_page (fixture);

  /* Seven calls come in while the reader pages: every offset shifts. */
  vp_sandbox_add_jobs (fixture->sandbox, 7);
  load_all (fixture);

  /* Paging on neither repeated nor skipped a job: the model holds exactly
   * the jobs that existed before, in order (new ones are the refresh's). */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, n_before);
  for (guint i = 0; i < n_before; i++)
    {
      g_autoptr(VpJob) job = g_list_model_get_item (G_LIST_MODEL (fixture->list), i);
      g_autofree char *expected = vp_sandbox_dup_job_id (fixture->sandbox, i + 7);

      g_assert_cmpstr (vp_job_get_id (job), ==, expected);
    }

  /* Refresh brings them in at the top. */
  vp_job_list_refresh (fixture->list);
  wait_until_loaded (fixture);
  check_same_as_server (fixture);
}

static void
test_more_than_a_page_arrives (Fixture       *fixture,
                               gconstpointer  data)
{
  load_page (fixture);

  /* More new jobs than a page: paging sees a whole page of known jobs and
   * must go on by itself; refresh must walk several pages. */
  vp_sandbox_add_jobs (fixture->sandbox, 45);
  load_page (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), >, 20);

  vp_job_list_refresh (fixture->list);
  wait_until_loaded (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), >, 65);

  vp_sandbox_add_jobs (fixture->sandbox, 3);
  load_all (fixture);
  vp_job_list_refresh (fixture->list);
  wait_until_loaded (fixture);
  check_same_as_server (fixture);
}

static void
test_refresh_while_loading (Fixture       *fixture,
                            gconstpointer  data)
{
  load_page (fixture);
  vp_sandbox_add_jobs (fixture->sandbox, 2);

  /* The refresh waits for the page in flight, then runs. */
  vp_job_list_load_more (fixture->list);
  vp_job_list_refresh (fixture->list);
  wait_until_loaded (fixture);
  /* The pending refresh may start right as the page lands. */
  wait_until_loaded (fixture);

  load_all (fixture);
  check_same_as_server (fixture);
}

static void
test_refresh_updates_status (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(VpJob) job = NULL;
  guint position = G_MAXUINT;

  load_all (fixture);

  /* Find a job still in progress and let the server finish it. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (fixture->list)); i++)
    {
      g_autoptr(VpJob) candidate = g_list_model_get_item (G_LIST_MODEL (fixture->list), i);

      if (vp_job_get_status (candidate) == VP_JOB_STATUS_QUEUED ||
          vp_job_get_status (candidate) == VP_JOB_STATUS_PROCESSING)
        {
          job = g_steal_pointer (&candidate);
          position = i;
          break;
        }
    }

  g_assert_nonnull (job);
  g_assert_cmpuint (position, <, 20);
  g_assert_true (vp_sandbox_set_job_status (fixture->sandbox, vp_job_get_id (job), "completed"));
  vp_sandbox_add_jobs (fixture->sandbox, 1);

  vp_job_list_refresh (fixture->list);
  wait_until_loaded (fixture);

  /* The same object, updated in place: a row bound to it follows. */
  g_assert_cmpint (vp_job_get_status (job), ==, VP_JOB_STATUS_COMPLETED);
  g_assert_true (vp_job_list_find (fixture->list, vp_job_get_id (job), &position) == job);
  check_same_as_server (fixture);
}

static void
test_error_keeps_items (Fixture       *fixture,
                        gconstpointer  data)
{
  guint n;

  load_page (fixture);
  n = g_list_model_get_n_items (G_LIST_MODEL (fixture->list));

  /* The key is revoked between two pages. */
  vp_client_set_api_key (fixture->client, "revoked");
  vp_job_list_load_more (fixture->list);
  wait_until_loaded (fixture);

  g_assert_error ((GError *) vp_job_list_get_error (fixture->list),
                  VP_CLIENT_ERROR, VP_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, n);
  g_assert_true (vp_job_list_has_more (fixture->list));

  /* With the key back, retrying goes on where it stopped. */
  vp_client_set_api_key (fixture->client, TEST_KEY);
  load_all (fixture);
  g_assert_null (vp_job_list_get_error (fixture->list));
  check_same_as_server (fixture);
}

static void
test_set_client_starts_over (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(VpClient) other = vp_client_new (vp_sandbox_get_base_url (fixture->sandbox), TEST_KEY);

  load_page (fixture);
  vp_job_list_load_more (fixture->list);
  /* Replaced while a page is on its way: that page must not land. */
  vp_job_list_set_client (fixture->list, other);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->list)), ==, 0);
  g_assert_false (vp_job_list_is_loading (fixture->list));

  load_all (fixture);
  check_same_as_server (fixture);
}

static void
test_dispose_while_loading (void)
{
  g_autoptr(VpSandbox) sandbox = vp_sandbox_new (3, 50, TEST_KEY);
  g_autoptr(VpClient) client = NULL;
  g_autoptr(GError) error = NULL;
  VpJobList *list;
  GWeakRef weak;

  vp_sandbox_listen (sandbox, 0, &error);
  g_assert_no_error (error);
  client = vp_client_new (vp_sandbox_get_base_url (sandbox), TEST_KEY);

  list = vp_job_list_new (client, 10);
  g_weak_ref_init (&weak, list);
  vp_job_list_load_more (list);
  g_object_run_dispose (G_OBJECT (list));
  g_object_unref (list);

  /* The cancelled request finishes without touching the dead list. */
  for (guint i = 0; i < 1000 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);

  {
    gpointer alive = g_weak_ref_get (&weak);

    g_assert_null (alive);
  }
  g_weak_ref_clear (&weak);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, n, func) \
  g_test_add ("/job-list/" path, Fixture, GUINT_TO_POINTER (n), fixture_set_up, func, fixture_tear_down)

  ADD ("pages/0", 0, test_pages_to_the_end);
  ADD ("pages/1", 1, test_pages_to_the_end);
  ADD ("pages/20", 20, test_pages_to_the_end);
  ADD ("pages/21", 21, test_pages_to_the_end);
  ADD ("pages/250", 250, test_pages_to_the_end);
  ADD ("loading", 100, test_loading_property);
  ADD ("new-jobs-while-paging", 120, test_new_jobs_while_paging);
  ADD ("more-than-a-page-arrives", 90, test_more_than_a_page_arrives);
  ADD ("refresh-while-loading", 60, test_refresh_while_loading);
  ADD ("refresh-updates-status", 60, test_refresh_updates_status);
  ADD ("error-keeps-items", 60, test_error_keeps_items);
  ADD ("set-client-starts-over", 60, test_set_client_starts_over);

#undef ADD

  g_test_add_func ("/job-list/dispose-while-loading", test_dispose_while_loading);

  return g_test_run ();
}
