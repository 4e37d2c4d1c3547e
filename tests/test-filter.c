/* test-filter.c: the job filter and the result cache against the sandbox
 *
 * The sandbox serves its generated calls over loopback; the test lists
 * every job, fetches every result, and works out what each filter should
 * give by reading the result bodies with json-glib itself, not through the
 * analysis the filter reads.  The cache is checked for its bound on
 * concurrent requests, for fetching nothing twice, for cancelling, and for
 * its memory bound.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-filter"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "vp-client.h"
#include "vp-job-filter.h"
#include "vp-result-cache.h"
#include "vp-sandbox.h"
#include "test-util.h"

#define TEST_KEY "filter-key"
#define TEST_JOBS 240

typedef struct {
  VpSandbox     *sandbox;
  VpClient      *client;
  GPtrArray     *jobs;      /* every VpJob, newest first */
  GHashTable    *results;   /* id -> VpResult, completed jobs only */
  GHashTable    *bodies;    /* id -> JsonObject (the "ai_analysis"), or absent */
  GHashTable    *parsers;   /* id -> JsonParser, keeping bodies alive */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->sandbox = vp_sandbox_new (11, TEST_JOBS, TEST_KEY);
  g_assert_true (vp_sandbox_start_thread (f->sandbox, 0, &error));
  g_assert_no_error (error);
  f->client = vp_client_new (vp_sandbox_get_base_url (f->sandbox), TEST_KEY);

  f->jobs = g_ptr_array_new_with_free_func (g_object_unref);
  f->results = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  f->bodies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  f->parsers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  for (guint offset = 0; offset < TEST_JOBS; offset += 100)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GPtrArray) page = NULL;

      vp_client_list_jobs_async (f->client, 100, offset, NULL, test_store_result_cb, &result);
      WAIT_UNTIL (result != NULL);
      page = vp_client_list_jobs_finish (f->client, result, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (f->jobs, g_object_ref (g_ptr_array_index (page, i)));
    }
  g_assert_cmpuint (f->jobs->len, ==, TEST_JOBS);
}

/* Every result, fetched by the test itself, and the analysis read from the
 * raw body. */
static void
fetch_all_results (Fixture *f)
{
  for (guint i = 0; i < f->jobs->len; i++)
    {
      VpJob *job = g_ptr_array_index (f->jobs, i);
      g_autoptr(GAsyncResult) async_result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      VpResult *result;
      GBytes *bytes;
      JsonObject *root;

      if (vp_job_get_status (job) != VP_JOB_STATUS_COMPLETED)
        continue;

      vp_client_get_result_async (f->client, job, NULL, test_store_result_cb, &async_result);
      WAIT_UNTIL (async_result != NULL);
      result = vp_client_get_result_finish (f->client, async_result, &error);
      g_assert_no_error (error);
      g_hash_table_insert (f->results, g_strdup (vp_job_get_id (job)), result);

      bytes = vp_result_get_bytes (result);
      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                                 g_bytes_get_size (bytes), &error));
      g_assert_no_error (error);
      root = json_node_get_object (json_parser_get_root (parser));
      if (json_object_has_member (root, "ai_analysis"))
        g_hash_table_insert (f->bodies, g_strdup (vp_job_get_id (job)),
                             json_object_get_object_member (root, "ai_analysis"));
      g_hash_table_insert (f->parsers, g_strdup (vp_job_get_id (job)), g_steal_pointer (&parser));
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->bodies, g_hash_table_unref);
  g_clear_pointer (&f->parsers, g_hash_table_unref);
  g_clear_pointer (&f->results, g_hash_table_unref);
  g_clear_pointer (&f->jobs, g_ptr_array_unref);
  g_clear_object (&f->client);
  g_clear_object (&f->sandbox);
}

typedef gboolean (*Truth) (Fixture *f, VpJob *job, JsonObject *analysis);

/* Applies @filter to every job with its result and compares the jobs it
 * keeps with those @truth picks.  Returns how many matched. */
static guint
check_filter (Fixture     *f,
              VpJobFilter *filter,
              Truth        truth)
{
  guint n_matched = 0;

  for (guint i = 0; i < f->jobs->len; i++)
    {
      VpJob *job = g_ptr_array_index (f->jobs, i);
      VpResult *result = g_hash_table_lookup (f->results, vp_job_get_id (job));
      JsonObject *analysis = g_hash_table_lookup (f->bodies, vp_job_get_id (job));
      VpFilterMatch match = vp_job_filter_match (filter, job, result);
      gboolean expected = truth (f, job, analysis);

      g_assert_cmpint (match, !=, VP_FILTER_MATCH_NEEDS_RESULT);
      if ((match == VP_FILTER_MATCH_YES) != expected)
        g_error ("job %s (%s): the filter says %d, the body says %d",
                 vp_job_get_id (job), vp_job_status_to_string (vp_job_get_status (job)),
                 match, expected);
      n_matched += expected;
    }

  return n_matched;
}

static gboolean
truth_no_disclosure (Fixture *f, VpJob *job, JsonObject *analysis)
{
  JsonObject *compliance;

  if (analysis == NULL || !json_object_has_member (analysis, "compliance"))
    return FALSE;
  compliance = json_object_get_object_member (analysis, "compliance");

  return json_object_has_member (compliance, "recording_disclosure") &&
         !json_object_get_boolean_member (compliance, "recording_disclosure");
}

static gboolean
shared (JsonObject *analysis,
        const char *kind)
{
  JsonObject *compliance;
  JsonArray *kinds;

  if (analysis == NULL || !json_object_has_member (analysis, "compliance"))
    return FALSE;
  compliance = json_object_get_object_member (analysis, "compliance");
  if (!json_object_has_member (compliance, "sensitive_data_shared"))
    return FALSE;
  kinds = json_object_get_array_member (compliance, "sensitive_data_shared");

  for (guint i = 0; i < json_array_get_length (kinds); i++)
    if (g_str_equal (json_array_get_string_element (kinds, i), kind))
      return TRUE;

  return FALSE;
}

static gboolean
truth_card (Fixture *f, VpJob *job, JsonObject *analysis)
{
  return shared (analysis, "credit card");
}

static gboolean
truth_no_disclosure_and_card (Fixture *f, VpJob *job, JsonObject *analysis)
{
  return truth_no_disclosure (f, job, analysis) && truth_card (f, job, analysis);
}

static gboolean
truth_billing_escalated (Fixture *f, VpJob *job, JsonObject *analysis)
{
  return analysis != NULL &&
         g_strcmp0 (json_object_get_string_member_with_default (analysis, "call_type", ""), "billing") == 0 &&
         g_strcmp0 (json_object_get_string_member_with_default (analysis, "call_outcome", ""), "escalated") == 0;
}

static gboolean
truth_failed (Fixture *f, VpJob *job, JsonObject *analysis)
{
  return vp_job_get_status (job) == VP_JOB_STATUS_FAILED;
}

static void
test_filters_match_generator (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(VpJobFilter) filter = vp_job_filter_new ();
  guint n;

  fetch_all_results (f);
  g_assert_cmpuint (g_hash_table_size (f->results), >, TEST_JOBS / 2);

  g_assert_true (vp_job_filter_is_empty (filter));
  g_assert_false (vp_job_filter_needs_results (filter));

  vp_job_filter_set_disclosure (filter, VP_DISCLOSURE_FILTER_MISSING);
  g_assert_true (vp_job_filter_needs_results (filter));
  n = check_filter (f, filter, truth_no_disclosure);
  g_assert_cmpuint (n, >, 0);
  g_test_message ("%u calls without a disclosure", n);

  vp_job_filter_set_disclosure (filter, VP_DISCLOSURE_FILTER_ANY);
  vp_job_filter_set_sensitive (filter, VP_SENSITIVE_FILTER_CARD);
  n = check_filter (f, filter, truth_card);
  g_assert_cmpuint (n, >, 0);
  g_test_message ("%u calls with a card number shared", n);

  vp_job_filter_set_disclosure (filter, VP_DISCLOSURE_FILTER_MISSING);
  check_filter (f, filter, truth_no_disclosure_and_card);

  vp_job_filter_free (g_steal_pointer (&filter));
  filter = vp_job_filter_new ();
  vp_job_filter_set_call_type (filter, "BILLING");
  vp_job_filter_set_outcome (filter, "escalated");
  check_filter (f, filter, truth_billing_escalated);

  vp_job_filter_free (g_steal_pointer (&filter));
  filter = vp_job_filter_new ();
  vp_job_filter_set_status (filter, VP_JOB_STATUS_FAILED);
  g_assert_false (vp_job_filter_needs_results (filter));
  g_assert_cmpuint (check_filter (f, filter, truth_failed), >, 0);
}

static void
test_filter_without_results (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(VpJobFilter) filter = vp_job_filter_new ();
  VpJob *oldest = g_ptr_array_index (f->jobs, f->jobs->len - 1);
  VpJob *newest = g_ptr_array_index (f->jobs, 0);
  gint64 t_oldest = g_date_time_to_unix (vp_job_get_created_at (oldest));
  gint64 t_newest = g_date_time_to_unix (vp_job_get_created_at (newest));
  g_autofree char *id_part = g_ascii_strup (vp_job_get_id (oldest) + 4, 8);
  guint n_in_range = 0;

  /* Text found in the id needs no result, in any case. */
  vp_job_filter_set_text (filter, id_part);
  g_assert_true (vp_job_filter_needs_results (filter));
  g_assert_cmpint (vp_job_filter_match (filter, oldest, NULL), ==, VP_FILTER_MATCH_YES);
  /* Elsewhere only a completed job's result can tell; others never match. */
  for (guint i = 0; i < f->jobs->len - 1; i++)
    {
      VpJob *job = g_ptr_array_index (f->jobs, i);
      VpFilterMatch match = vp_job_filter_match (filter, job, NULL);

      if (strstr (vp_job_get_id (job), vp_job_get_id (oldest) + 4) != NULL)
        continue;
      if (vp_job_get_status (job) == VP_JOB_STATUS_COMPLETED)
        g_assert_cmpint (match, ==, VP_FILTER_MATCH_NEEDS_RESULT);
      else
        g_assert_cmpint (match, ==, VP_FILTER_MATCH_NO);
    }

  /* A date range: since inclusive, until exclusive */
  vp_job_filter_set_text (filter, "   ");
  g_assert_null (vp_job_filter_get_text (filter));
  vp_job_filter_set_created_range (filter, t_oldest, t_newest);
  g_assert_false (vp_job_filter_needs_results (filter));
  for (guint i = 0; i < f->jobs->len; i++)
    n_in_range += vp_job_filter_match (filter, g_ptr_array_index (f->jobs, i), NULL) == VP_FILTER_MATCH_YES;
  g_assert_cmpint (vp_job_filter_match (filter, oldest, NULL), ==, VP_FILTER_MATCH_YES);
  g_assert_cmpint (vp_job_filter_match (filter, newest, NULL), ==, VP_FILTER_MATCH_NO);
  g_assert_cmpuint (n_in_range, ==, f->jobs->len - 1);
}

static void
test_text_in_result (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(VpJobFilter) filter = vp_job_filter_new ();
  const char *name = NULL;
  VpJob *with_name = NULL;

  fetch_all_results (f);

  for (guint i = 0; i < f->jobs->len && name == NULL; i++)
    {
      VpJob *job = g_ptr_array_index (f->jobs, i);
      JsonObject *analysis = g_hash_table_lookup (f->bodies, vp_job_get_id (job));

      if (analysis != NULL && json_object_has_member (analysis, "customer"))
        {
          name = json_object_get_string_member_with_default (json_object_get_object_member (analysis, "customer"),
                                                             "name", NULL);
          with_name = job;
        }
    }
  g_assert_nonnull (name);

  vp_job_filter_set_text (filter, name);
  g_assert_cmpint (vp_job_filter_match (filter, with_name,
                                        g_hash_table_lookup (f->results, vp_job_get_id (with_name))),
                   ==, VP_FILTER_MATCH_YES);

  /* Every match really holds the name somewhere in its body. */
  for (guint i = 0; i < f->jobs->len; i++)
    {
      VpJob *job = g_ptr_array_index (f->jobs, i);
      VpResult *result = g_hash_table_lookup (f->results, vp_job_get_id (job));

      if (vp_job_filter_match (filter, job, result) == VP_FILTER_MATCH_YES)
        {
          g_autofree char *body = g_strndup (g_bytes_get_data (vp_result_get_bytes (result), NULL),
                                             g_bytes_get_size (vp_result_get_bytes (result)));
          g_autofree char *lower_body = g_ascii_strdown (body, -1);
          g_autofree char *lower_name = g_ascii_strdown (name, -1);

          g_assert_nonnull (strstr (lower_body, lower_name));
        }
    }
}

/* Free text folds case beyond ASCII: a name with "ö" is found written
 * in capitals */
static void
test_text_unicode_case (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(VpJobFilter) filter = vp_job_filter_new ();
  g_autofree char *shouted = NULL;
  VpJob *with_name = NULL;

  fetch_all_results (f);

  for (guint i = 0; i < f->jobs->len && shouted == NULL; i++)
    {
      VpJob *job = g_ptr_array_index (f->jobs, i);
      JsonObject *analysis = g_hash_table_lookup (f->bodies, vp_job_get_id (job));
      const char *who[] = { "customer", "agent" };

      for (guint w = 0; analysis != NULL && w < G_N_ELEMENTS (who) && shouted == NULL; w++)
        {
          JsonObject *person = json_object_has_member (analysis, who[w])
            ? json_object_get_object_member (analysis, who[w]) : NULL;
          const char *name = person
            ? json_object_get_string_member_with_default (person, "name", NULL) : NULL;

          if (name != NULL && !g_str_is_ascii (name))
            {
              shouted = g_utf8_strup (name, -1);
              with_name = job;
            }
        }
    }
  if (shouted == NULL)
    {
      g_test_skip ("No generated name with a letter beyond ASCII");
      return;
    }

  g_test_message ("looking for %s", shouted);
  vp_job_filter_set_text (filter, shouted);
  g_assert_cmpint (vp_job_filter_match (filter, with_name,
                                        g_hash_table_lookup (f->results, vp_job_get_id (with_name))),
                   ==, VP_FILTER_MATCH_YES);
}

typedef struct {
  guint loaded;
  guint failed;
} Counts;

static void
on_loaded_cb (VpResultCache *cache,
              const char    *job_id,
              VpResult      *result,
              Counts        *counts)
{
  g_assert_true (VP_IS_RESULT (result));
  g_assert_true (vp_result_cache_lookup (cache, job_id) == result);
  counts->loaded++;
}

static void
on_failed_cb (VpResultCache *cache,
              const char    *job_id,
              const GError  *error,
              Counts        *counts)
{
  counts->failed++;
}

static void
test_cache_fetches_once (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(VpResultCache) cache = vp_result_cache_new (f->client, 0);
  Counts counts = { 0, };
  guint n_completed = 0;
  guint n_requests;

  g_signal_connect (cache, "result-loaded", G_CALLBACK (on_loaded_cb), &counts);
  g_signal_connect (cache, "fetch-failed", G_CALLBACK (on_failed_cb), &counts);

  for (guint i = 0; i < f->jobs->len; i++)
    {
      VpJob *job = g_ptr_array_index (f->jobs, i);

      n_completed += vp_job_get_status (job) == VP_JOB_STATUS_COMPLETED;
      vp_result_cache_fetch (cache, job);
      /* Twice: no second request */
      vp_result_cache_fetch (cache, job);
      g_assert_cmpuint (vp_result_cache_get_n_in_flight (cache), <=, VP_RESULT_CACHE_DEFAULT_CONCURRENCY);
    }

  WAIT_UNTIL (vp_result_cache_get_n_in_flight (cache) == 0 &&
              vp_result_cache_get_n_queued (cache) == 0);
  g_assert_cmpuint (counts.loaded, ==, n_completed);
  g_assert_cmpuint (counts.failed, ==, 0);
  g_assert_cmpuint (vp_result_cache_get_n_results (cache), ==, n_completed);
  g_assert_cmpuint (vp_result_cache_get_peak_in_flight (cache), <=, VP_RESULT_CACHE_DEFAULT_CONCURRENCY);
  g_assert_cmpuint (vp_result_cache_get_peak_in_flight (cache), >, 1);

  /* Known results are not asked for again. */
  n_requests = vp_sandbox_get_request_count (f->sandbox);
  for (guint i = 0; i < f->jobs->len; i++)
    vp_result_cache_fetch (cache, g_ptr_array_index (f->jobs, i));
  g_assert_cmpuint (vp_result_cache_get_n_in_flight (cache), ==, 0);
  g_assert_cmpuint (vp_result_cache_get_n_queued (cache), ==, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (vp_sandbox_get_request_count (f->sandbox), ==, n_requests);
}

static void
test_cache_cancel (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(VpResultCache) cache = vp_result_cache_new (f->client, 0);
  Counts counts = { 0, };
  guint n_requests;

  g_signal_connect (cache, "result-loaded", G_CALLBACK (on_loaded_cb), &counts);

  for (guint i = 0; i < f->jobs->len; i++)
    vp_result_cache_fetch (cache, g_ptr_array_index (f->jobs, i));
  g_assert_cmpuint (vp_result_cache_get_n_queued (cache), >, 0);

  /* A few arrive, then the rest is no longer wanted. */
  WAIT_UNTIL (counts.loaded >= 5);
  vp_result_cache_cancel_fetches (cache);
  g_assert_cmpuint (vp_result_cache_get_n_queued (cache), ==, 0);
  WAIT_UNTIL (vp_result_cache_get_n_in_flight (cache) == 0);

  n_requests = vp_sandbox_get_request_count (f->sandbox);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (vp_sandbox_get_request_count (f->sandbox), ==, n_requests);
  g_assert_cmpuint (vp_result_cache_get_n_results (cache), <, g_hash_table_size (f->results) + 200);
  g_assert_cmpuint (vp_result_cache_get_n_results (cache), ==, counts.loaded);

  /* Another account: everything is forgotten. */
  {
    g_autoptr(VpClient) other = vp_client_new (vp_sandbox_get_base_url (f->sandbox), TEST_KEY);

    vp_result_cache_set_client (cache, other);
    g_assert_cmpuint (vp_result_cache_get_n_results (cache), ==, 0);
    g_assert_cmpuint (vp_result_cache_get_n_bytes (cache), ==, 0);
  }
}

static void
test_cache_bounded (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(VpResultCache) cache = NULL;
  const gsize max_bytes = 1024 * 1024;
  GHashTableIter iter;
  gpointer key, value;
  const char *last_id = NULL;
  const char *first_id = NULL;

  fetch_all_results (f);
  cache = vp_result_cache_new (f->client, max_bytes);
  g_assert_cmpuint (vp_result_cache_get_max_bytes (cache), ==, max_bytes);

  g_hash_table_iter_init (&iter, f->results);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (first_id == NULL)
        first_id = key;
      vp_result_cache_insert (cache, key, value);
      /* Keep the first one in use: it must survive */
      g_assert_nonnull (vp_result_cache_lookup (cache, first_id));
      g_assert_cmpuint (vp_result_cache_get_n_bytes (cache), <=, max_bytes);
      last_id = key;
    }

  g_assert_cmpuint (vp_result_cache_get_n_results (cache), <, g_hash_table_size (f->results));
  g_assert_cmpuint (vp_result_cache_get_n_results (cache), >, 0);
  g_assert_nonnull (vp_result_cache_lookup (cache, last_id));
  g_assert_nonnull (vp_result_cache_lookup (cache, first_id));
}

/* How many files are in @dir (0 if it is not there) */
static guint
count_files (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  /* Whole files only: a result being written is a temporary file until it
   * is renamed into place */
  if (handle != NULL)
    while ((name = g_dir_read_name (handle)) != NULL)
      n += g_str_has_suffix (name, ".json");

  return n;
}

/* Kept on disk, results come back after a "restart" without a request;
 * switched off, nothing is written and the folder goes. */
static void
test_cache_on_disk (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(VpResultCache) cache = vp_result_cache_new (f->client, 0);
  g_autoptr(VpResultCache) again = NULL;
  g_autoptr(VpResultCache) other_server = NULL;
  g_autoptr(VpClient) other_client = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *root = g_build_filename (g_get_user_cache_dir (), "voxparse-browser", "results", NULL);
  g_autofree char *bad = NULL;
  Counts counts = { 0, };
  guint n_completed = 0;
  guint n_requests;
  VpJob *bad_job = NULL;

  g_assert_true (g_str_has_prefix (root, g_getenv ("XDG_CACHE_HOME")));

  vp_result_cache_set_keep_on_disk (cache, TRUE);
  dir = vp_result_cache_dup_disk_dir (cache);
  g_assert_nonnull (dir);
  g_assert_true (g_str_has_prefix (dir, root));

  for (guint i = 0; i < f->jobs->len && i < 40; i++)
    {
      VpJob *job = g_ptr_array_index (f->jobs, i);

      if (vp_job_get_status (job) != VP_JOB_STATUS_COMPLETED)
        continue;
      n_completed++;
      bad_job = job;
      vp_result_cache_fetch (cache, job);
    }
  g_assert_cmpuint (n_completed, >, 2);
  WAIT_UNTIL (vp_result_cache_get_n_in_flight (cache) == 0 &&
              vp_result_cache_get_n_queued (cache) == 0);
  g_assert_cmpuint (vp_result_cache_get_n_results (cache), ==, n_completed);
  /* Written in the background (each file appears whole) */
  WAIT_UNTIL (count_files (dir) == n_completed);

  /* No key in what was written */
  {
    g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (handle)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_autofree char *contents = NULL;

        if (!g_str_has_suffix (name, ".json"))
          continue;
        g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
        g_assert_null (strstr (contents, TEST_KEY));
      }
  }

  /* One file is spoilt: it is deleted and fetched again */
  bad = g_strconcat (dir, G_DIR_SEPARATOR_S, vp_job_get_id (bad_job), ".json", NULL);
  g_assert_true (g_file_test (bad, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_set_contents (bad, "{ not json", -1, NULL));

  /* A restart: a new cache, the same server */
  again = vp_result_cache_new (f->client, 0);
  vp_result_cache_set_keep_on_disk (again, TRUE);
  g_signal_connect (again, "result-loaded", G_CALLBACK (on_loaded_cb), &counts);
  g_signal_connect (again, "fetch-failed", G_CALLBACK (on_failed_cb), &counts);
  n_requests = vp_sandbox_get_request_count (f->sandbox);
  for (guint i = 0; i < f->jobs->len && i < 40; i++)
    vp_result_cache_fetch (again, g_ptr_array_index (f->jobs, i));
  WAIT_UNTIL (vp_result_cache_get_n_in_flight (again) == 0 &&
              vp_result_cache_get_n_queued (again) == 0);
  g_assert_cmpuint (counts.loaded, ==, n_completed);
  g_assert_cmpuint (counts.failed, ==, 0);
  g_assert_cmpuint (vp_result_cache_get_n_from_disk (again), ==, n_completed - 1);
  /* Only the spoilt one was asked for */
  g_assert_cmpuint (vp_sandbox_get_request_count (f->sandbox), ==, n_requests + 1);
  /* and written again, whole */
  WAIT_UNTIL (g_file_test (bad, G_FILE_TEST_EXISTS) && count_files (dir) == n_completed);
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (bad, &contents, NULL, NULL));
    g_assert_false (g_str_has_prefix (contents, "{ not json"));
  }

  /* Another server's results are elsewhere */
  other_client = vp_client_new ("http://127.0.0.1:1/", TEST_KEY);
  other_server = vp_result_cache_new (other_client, 0);
  vp_result_cache_set_keep_on_disk (other_server, TRUE);
  {
    g_autofree char *other_dir = vp_result_cache_dup_disk_dir (other_server);

    g_assert_cmpstr (other_dir, !=, dir);
  }
  vp_result_cache_set_keep_on_disk (other_server, FALSE);

  /* Off: the folder goes, and nothing more is written */
  vp_result_cache_set_keep_on_disk (cache, FALSE);
  vp_result_cache_set_keep_on_disk (again, FALSE);
  g_assert_null (vp_result_cache_dup_disk_dir (cache));
  WAIT_UNTIL (!g_file_test (root, G_FILE_TEST_EXISTS));

  {
    g_autoptr(VpResultCache) fresh = vp_result_cache_new (f->client, 0);

    for (guint i = 0; i < f->jobs->len && i < 40; i++)
      vp_result_cache_fetch (fresh, g_ptr_array_index (f->jobs, i));
    WAIT_UNTIL (vp_result_cache_get_n_in_flight (fresh) == 0 &&
                vp_result_cache_get_n_queued (fresh) == 0);
    g_assert_cmpuint (vp_result_cache_get_n_results (fresh), ==, n_completed);
    g_assert_cmpuint (vp_result_cache_get_n_from_disk (fresh), ==, 0);
  }
  g_assert_false (g_file_test (root, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *cache_home = NULL;
  int ret;

  /* The disk cache goes to a folder of the test's own */
  cache_home = g_dir_make_tmp ("test-filter-cache-XXXXXX", NULL);
  g_assert_nonnull (cache_home);
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/filter/matches-generator", test_filters_match_generator);
  ADD ("/filter/without-results", test_filter_without_results);
  ADD ("/filter/text-in-result", test_text_in_result);
  ADD ("/filter/text-unicode-case", test_text_unicode_case);
  ADD ("/result-cache/fetches-once", test_cache_fetches_once);
  ADD ("/result-cache/cancel", test_cache_cancel);
  ADD ("/result-cache/bounded", test_cache_bounded);
  ADD ("/result-cache/on-disk", test_cache_on_disk);

#undef ADD

  ret = g_test_run ();
  {
    g_autofree char *app_dir = g_build_filename (cache_home, "voxparse-browser", NULL);

    g_rmdir (app_dir);
    g_rmdir (cache_home);
  }

  return ret;
}
