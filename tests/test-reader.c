/* test-reader.c: the Transcript pane as a reviewer uses it
 *
 * Find (count, next and previous with wrap-around, case-insensitive), the
 * numbers marked as personal data (spoken and written; times and money
 * left alone), masking, the remembered text size, and jumping from a timed
 * segment to the conversation.  Calls come from the in-process sandbox
 * (served from its own thread, fetched over loopback HTTP) and from a
 * hand-made result (fixtures/reader-result.json).  Runs under a headless
 * display (tests/headless.sh); waits are bounded main-loop iterations,
 * never sleeps.  The long-call test reports the longest main-loop stall it
 * sees, without asserting on it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-reader"

#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "vp-client.h"
#include "vp-sandbox.h"
#include "vp-settings.h"
#include "vp-transcript-page-private.h"
#include "test-util.h"

#define TEST_KEY "reader-test-key"
#define TEST_SEED 7
#define TEST_JOBS 300
#define MASK "\u2022"

typedef struct {
  VpSandbox        *sandbox;
  VpClient         *probe;
  GtkWindow        *window;
  VpTranscriptPage *page;
} Fixture;

#define WAIT_IDLE(f) WAIT_UNTIL (!_vp_transcript_page_is_busy ((f)->page))

static VpResult *
load_fixture (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "reader-result.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  VpResult *result;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  result = vp_result_new_from_bytes (bytes, &error);
  g_assert_no_error (error);

  return result;
}

static void
reset_settings (void)
{
  g_autoptr(GSettings) settings = vp_settings_try_new ();

  if (settings != NULL)
    {
      g_settings_reset (settings, "text-scale");
      g_settings_reset (settings, "mask-pii");
    }
}

static void
open_page (Fixture *f)
{
  f->window = GTK_WINDOW (gtk_window_new ());
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_set_default_size (f->window, 900, 700);
  f->page = g_object_new (VP_TYPE_TRANSCRIPT_PAGE, NULL);
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (f->page)));
}

static void
close_page (Fixture *f)
{
  if (f->window != NULL)
    gtk_window_destroy (f->window);
  g_assert_null (f->window);
  f->page = NULL;

  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  reset_settings ();

  f->sandbox = vp_sandbox_new (TEST_SEED, TEST_JOBS, TEST_KEY);
  g_assert_true (vp_sandbox_start_thread (f->sandbox, 0, &error));
  g_assert_no_error (error);
  f->probe = vp_client_new (vp_sandbox_get_base_url (f->sandbox), TEST_KEY);

  open_page (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  close_page (f);
  g_clear_object (&f->probe);
  g_clear_object (&f->sandbox);
  reset_settings ();
}

/* The text of @view: a view hidden behind the switcher is given it only
 * once shown, so the page's buffer, not the view's */
static GtkTextBuffer *
view_buffer (Fixture    *f,
             const char *view)
{
  return _vp_transcript_page_get_buffer (f->page, _vp_transcript_page_get_view (f->page, view));
}

static char *
buffer_text (Fixture    *f,
             const char *view)
{
  GtkTextBuffer *buffer = view_buffer (f, view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The texts that carry @tag_name in @view, in order */
static GPtrArray *
tagged_texts (Fixture    *f,
              const char *view,
              const char *tag_name)
{
  GtkTextBuffer *buffer = view_buffer (f, view);
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), tag_name);
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);
  GtkTextIter iter;

  g_assert_nonnull (tag);
  gtk_text_buffer_get_start_iter (buffer, &iter);

  while (gtk_text_iter_starts_tag (&iter, tag) || gtk_text_iter_forward_to_tag_toggle (&iter, tag))
    {
      GtkTextIter end;

      /* The end of a stretch: on to the next */
      if (!gtk_text_iter_starts_tag (&iter, tag))
        continue;

      end = iter;
      gtk_text_iter_forward_to_tag_toggle (&end, tag);
      g_ptr_array_add (texts, gtk_text_iter_get_text (&iter, &end));
      iter = end;
    }

  return texts;
}

/* Whether any character of every occurrence of @needle in @view is tagged */
static gboolean
any_tagged (Fixture    *f,
            const char *view,
            const char *needle,
            const char *tag_name)
{
  GtkTextBuffer *buffer = view_buffer (f, view);
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), tag_name);
  GtkTextIter iter, start, end;
  guint n_found = 0;

  gtk_text_buffer_get_start_iter (buffer, &iter);
  while (gtk_text_iter_forward_search (&iter, needle, 0, &start, &end, NULL))
    {
      n_found++;
      for (GtkTextIter i = start; gtk_text_iter_compare (&i, &end) < 0; gtk_text_iter_forward_char (&i))
        if (gtk_text_iter_has_tag (&i, tag))
          return TRUE;
      iter = end;
    }

  /* The test means something only if the text is there */
  g_assert_cmpuint (n_found, >, 0);
  return FALSE;
}

static guint
count_casefolded (const char *haystack,
                  const char *needle)
{
  g_autofree char *folded = g_utf8_casefold (haystack, -1);
  g_autofree char *folded_needle = g_utf8_casefold (needle, -1);
  guint n = 0;

  for (const char *p = strstr (folded, folded_needle); p != NULL; p = strstr (p + strlen (folded_needle), folded_needle))
    n++;

  return n;
}

/* A completed Pro call of the sandbox, with its result */
static VpResult *
find_pro_call (Fixture  *f,
               guint     skip,
               char    **out_id)
{
  g_autoptr(GPtrArray) jobs = test_list_jobs (f->probe, 50, 0);

  for (guint i = 0; i < jobs->len; i++)
    {
      VpJob *job = g_ptr_array_index (jobs, i);
      g_autoptr(VpResult) result = NULL;
      VpAnalysis *analysis;

      if (vp_job_get_status (job) != VP_JOB_STATUS_COMPLETED)
        continue;

      result = test_get_result (f->probe, job);
      analysis = vp_result_get_analysis (result);
      if (analysis == NULL || vp_analysis_is_lite (analysis) ||
          vp_analysis_get_transcript_cleaned (analysis) == NULL)
        continue;

      if (skip-- == 0)
        {
          if (out_id != NULL)
            *out_id = g_strdup (vp_job_get_id (job));
          return g_steal_pointer (&result);
        }
    }

  g_assert_not_reached ();
}

static const char * const fixture_numbers[] = {
  "four one one one, one one one one, one one one one, one two three four",
  "5500 0000 0000 0004",
  "212-555-0178",
  "nine five five seven",
};

static const char * const not_numbers[] = {
  "ten thirty", "10:30", "forty nine dollars", "$49.99", "12/31", "10:31",
};

static void
test_pii_fixture (Fixture       *f,
                  gconstpointer  data)
{
  static const char * const views[] = { "conversation", "raw", "segments" };
  g_autoptr(VpResult) result = load_fixture ();

  vp_transcript_page_set_result (f->page, result);
  WAIT_IDLE (f);

  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    {
      g_autoptr(GPtrArray) tagged = tagged_texts (f, views[v], "pii");

      g_test_message ("%s: %u numbers", views[v], tagged->len);
      g_assert_cmpuint (tagged->len, ==, G_N_ELEMENTS (fixture_numbers));
      for (guint i = 0; i < tagged->len; i++)
        g_assert_cmpstr (g_ptr_array_index (tagged, i), ==, fixture_numbers[i]);

      /* Times and money are read, not hidden */
      for (guint i = 0; i < G_N_ELEMENTS (not_numbers); i++)
        g_assert_false (any_tagged (f, views[v], not_numbers[i], "pii"));
    }
}

static gboolean
get_mask (Fixture *f)
{
  gboolean mask = TRUE;

  g_object_get (f->page, "mask-pii", &mask, NULL);
  return mask;
}

static void
test_mask (Fixture       *f,
           gconstpointer  data)
{
  static const char * const views[] = { "conversation", "raw", "segments" };
  g_autoptr(VpResult) result = load_fixture ();
  g_autoptr(GSettings) settings = vp_settings_try_new ();
  gboolean mask = FALSE;

  g_assert_nonnull (settings);

  vp_transcript_page_set_result (f->page, result);
  WAIT_IDLE (f);

  /* The toolbar's toggle is this action */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "transcript.mask-pii", NULL));
  WAIT_IDLE (f);
  g_object_get (f->page, "mask-pii", &mask, NULL);
  g_assert_true (mask);
  g_assert_true (g_settings_get_boolean (settings, "mask-pii"));

  for (guint v = 0; v < G_N_ELEMENTS (views); v++)
    {
      g_autofree char *text = buffer_text (f, views[v]);
      g_autoptr(GPtrArray) tagged = tagged_texts (f, views[v], "pii");

      for (guint i = 0; i < G_N_ELEMENTS (fixture_numbers); i++)
        g_assert_null (strstr (text, fixture_numbers[i]));
      g_assert_null (strstr (text, "5500"));
      g_assert_null (strstr (text, "212-555"));
      g_assert_null (strstr (text, "one one one one"));

      /* Still marked, where the numbers now are: all masked but the last
       * four digits (a "last four" of a social is masked whole) */
      g_assert_cmpuint (tagged->len, ==, G_N_ELEMENTS (fixture_numbers));
      g_assert_cmpstr (g_ptr_array_index (tagged, 0), ==,
                       MASK " " MASK " " MASK " " MASK ", " MASK " " MASK " " MASK " " MASK ", "
                       MASK " " MASK " " MASK " " MASK ", one two three four");
      g_assert_cmpstr (g_ptr_array_index (tagged, 1), ==,
                       MASK MASK MASK MASK " " MASK MASK MASK MASK " " MASK MASK MASK MASK " 0004");
      g_assert_cmpstr (g_ptr_array_index (tagged, 2), ==, MASK MASK MASK "-" MASK MASK MASK "-0178");
      g_assert_cmpstr (g_ptr_array_index (tagged, 3), ==, MASK " " MASK " " MASK " " MASK);

      for (guint i = 0; i < G_N_ELEMENTS (not_numbers); i++)
        g_assert_nonnull (strstr (text, not_numbers[i]));
    }

  /* Remembered: a new page starts masked */
  close_page (f);
  open_page (f);
  g_object_get (f->page, "mask-pii", &mask, NULL);
  g_assert_true (mask);
  vp_transcript_page_set_result (f->page, result);
  WAIT_IDLE (f);
  {
    g_autofree char *text = buffer_text (f, "conversation");
    g_assert_null (strstr (text, "212-555"));
  }

  /* And back, from the settings (the preferences) */
  g_settings_set_boolean (settings, "mask-pii", FALSE);
  WAIT_UNTIL (!get_mask (f));
  WAIT_IDLE (f);
  {
    g_autofree char *text = buffer_text (f, "conversation");
    g_autoptr(GPtrArray) tagged = tagged_texts (f, "conversation", "pii");

    for (guint i = 0; i < G_N_ELEMENTS (fixture_numbers); i++)
      g_assert_nonnull (strstr (text, fixture_numbers[i]));
    g_assert_cmpuint (tagged->len, ==, G_N_ELEMENTS (fixture_numbers));
  }
}

/* Generated calls that paid by card: the number read out is marked whole,
 * whether spoken as words or said as digits. */
static void
test_pii_generated (Fixture       *f,
                    gconstpointer  data)
{
  gboolean seen_words = FALSE;
  gboolean seen_digits = FALSE;

  for (guint offset = 0; offset < TEST_JOBS && !(seen_words && seen_digits); offset += 100)
    {
      g_autoptr(GPtrArray) jobs = test_list_jobs (f->probe, 100, offset);

      for (guint i = 0; i < jobs->len && !(seen_words && seen_digits); i++)
        {
          VpJob *job = g_ptr_array_index (jobs, i);
          g_autoptr(VpResult) result = NULL;
          g_autoptr(GPtrArray) tagged = NULL;
          g_autofree char *text = NULL;
          g_autofree char *number = NULL;
          const char * const *kinds;
          const char *start;
          const char *end;
          gboolean words;
          gboolean found = FALSE;
          VpAnalysis *analysis;

          if (vp_job_get_status (job) != VP_JOB_STATUS_COMPLETED)
            continue;
          result = test_get_result (f->probe, job);
          analysis = vp_result_get_analysis (result);
          if (analysis == NULL || vp_analysis_is_lite (analysis))
            continue;
          kinds = vp_analysis_get_sensitive_data_shared (analysis);
          if (kinds == NULL || !g_strv_contains (kinds, "credit card"))
            continue;

          vp_transcript_page_set_result (f->page, result);
          WAIT_IDLE (f);
          text = buffer_text (f, "conversation");

          /* The generator's words: "Okay, it's <number>, and it expires MM/YY." */
          start = strstr (text, "Okay, it's ");
          g_assert_nonnull (start);
          start += strlen ("Okay, it's ");
          end = strstr (start, ", and it expires");
          g_assert_nonnull (end);
          number = g_strndup (start, end - start);
          words = g_ascii_isalpha (number[0]);

          if ((words && seen_words) || (!words && seen_digits))
            continue;

          g_test_message ("%s: card read as “%s”", vp_job_get_id (job), number);
          tagged = tagged_texts (f, "conversation", "pii");
          for (guint k = 0; k < tagged->len; k++)
            if (g_str_equal (g_ptr_array_index (tagged, k), number))
              found = TRUE;
          g_assert_true (found);

          /* The expiry date and the money of the same call are not marked */
          {
            const char *expires = strstr (end, "expires ") + strlen ("expires ");
            g_autofree char *date = g_strndup (expires, strcspn (expires, "."));

            g_assert_false (any_tagged (f, "conversation", date, "pii"));
          }
          if (strchr (text, '$') != NULL)
            g_assert_false (any_tagged (f, "conversation", "$", "pii"));

          if (words)
            seen_words = TRUE;
          else
            seen_digits = TRUE;
        }
    }

  g_assert_true (seen_words);
  g_assert_true (seen_digits);
}

static void
assert_current_is (Fixture    *f,
                   const char *needle)
{
  GtkTextBuffer *buffer = view_buffer (f, "conversation");
  g_autofree char *text = NULL;
  GtkTextIter start, end;
  int s, e;

  g_assert_cmpint (_vp_transcript_page_get_current_match (f->page, &s, &e), >=, 0);
  gtk_text_buffer_get_iter_at_offset (buffer, &start, s);
  gtk_text_buffer_get_iter_at_offset (buffer, &end, e);
  text = gtk_text_iter_get_text (&start, &end);
  g_assert_cmpint (g_ascii_strcasecmp (text, needle), ==, 0);

  /* The cursor is on it, to be scrolled to */
  gtk_text_buffer_get_iter_at_mark (buffer, &end, gtk_text_buffer_get_insert (buffer));
  g_assert_cmpint (gtk_text_iter_get_offset (&end), ==, s);
}

static void
test_find (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(VpResult) result = find_pro_call (f, 0, NULL);
  g_autofree char *text = NULL;
  g_autofree char *label = NULL;
  g_autoptr(GPtrArray) marked = NULL;
  GtkSearchBar *bar;
  guint expected;
  guint n;

  vp_transcript_page_set_result (f->page, result);
  WAIT_IDLE (f);
  text = buffer_text (f, "conversation");

  /* Case-insensitive: "ThE" finds "The" and "the" */
  expected = count_casefolded (text, "the");
  g_assert_cmpuint (expected, >, 2);

  _vp_transcript_page_find (f->page, "ThE");
  WAIT_IDLE (f);
  n = _vp_transcript_page_get_n_matches (f->page);
  g_assert_cmpuint (n, ==, expected);
  g_assert_cmpint (_vp_transcript_page_get_current_match (f->page, NULL, NULL), ==, 0);
  label = g_strdup_printf ("1 of %u", n);
  g_assert_cmpstr (_vp_transcript_page_get_match_label (f->page), ==, label);
  assert_current_is (f, "the");

  /* Every match is marked */
  marked = tagged_texts (f, "conversation", "search-match");
  g_assert_cmpuint (marked->len, ==, n);
  for (guint i = 0; i < marked->len; i++)
    g_assert_cmpint (g_ascii_strcasecmp (g_ptr_array_index (marked, i), "the"), ==, 0);

  /* Next, previous, and around the ends */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "transcript.find-next", NULL));
  g_assert_cmpint (_vp_transcript_page_get_current_match (f->page, NULL, NULL), ==, 1);
  g_clear_pointer (&label, g_free);
  label = g_strdup_printf ("2 of %u", n);
  g_assert_cmpstr (_vp_transcript_page_get_match_label (f->page), ==, label);
  assert_current_is (f, "the");

  gtk_widget_activate_action (GTK_WIDGET (f->page), "transcript.find-previous", NULL);
  g_assert_cmpint (_vp_transcript_page_get_current_match (f->page, NULL, NULL), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "transcript.find-previous", NULL);
  g_assert_cmpint (_vp_transcript_page_get_current_match (f->page, NULL, NULL), ==, (int) n - 1);
  g_clear_pointer (&label, g_free);
  label = g_strdup_printf ("%u of %u", n, n);
  g_assert_cmpstr (_vp_transcript_page_get_match_label (f->page), ==, label);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "transcript.find-next", NULL);
  g_assert_cmpint (_vp_transcript_page_get_current_match (f->page, NULL, NULL), ==, 0);

  /* Enter in the entry is "next" too */
  {
    GtkWidget *entry = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->page), VP_TYPE_TRANSCRIPT_PAGE, "search_entry"));

    g_signal_emit_by_name (entry, "activate");
    g_assert_cmpint (_vp_transcript_page_get_current_match (f->page, NULL, NULL), ==, 1);
    g_signal_emit_by_name (entry, "previous-match");
    g_assert_cmpint (_vp_transcript_page_get_current_match (f->page, NULL, NULL), ==, 0);
  }

  /* Another view: the search follows */
  _vp_transcript_page_show_view (f->page, "raw");
  WAIT_IDLE (f);
  {
    g_autofree char *raw = buffer_text (f, "raw");

    g_assert_cmpuint (_vp_transcript_page_get_n_matches (f->page), ==, count_casefolded (raw, "the"));
    g_clear_pointer (&marked, g_ptr_array_unref);
    marked = tagged_texts (f, "conversation", "search-match");
    g_assert_cmpuint (marked->len, ==, 0);
  }
  _vp_transcript_page_show_view (f->page, "conversation");
  WAIT_IDLE (f);

  /* Nothing found */
  _vp_transcript_page_find (f->page, "zqxjzqxj");
  WAIT_IDLE (f);
  g_assert_cmpuint (_vp_transcript_page_get_n_matches (f->page), ==, 0);
  g_assert_cmpstr (_vp_transcript_page_get_match_label (f->page), ==, "No matches");
  gtk_widget_activate_action (GTK_WIDGET (f->page), "transcript.find-next", NULL);
  g_assert_cmpint (_vp_transcript_page_get_current_match (f->page, NULL, NULL), ==, -1);

  /* A phrase of several words, in another case */
  _vp_transcript_page_find (f->page, "Thank You");
  WAIT_IDLE (f);
  g_assert_cmpuint (_vp_transcript_page_get_n_matches (f->page), ==, count_casefolded (text, "thank you"));

  /* Closing the bar (Escape) takes the marks away */
  bar = GTK_SEARCH_BAR (gtk_widget_get_template_child (GTK_WIDGET (f->page), VP_TYPE_TRANSCRIPT_PAGE, "search_bar"));
  gtk_search_bar_set_search_mode (bar, FALSE);
  g_assert_cmpuint (_vp_transcript_page_get_n_matches (f->page), ==, 0);
  g_clear_pointer (&marked, g_ptr_array_unref);
  marked = tagged_texts (f, "conversation", "search-match");
  g_assert_cmpuint (marked->len, ==, 0);
  g_assert_cmpstr (_vp_transcript_page_get_match_label (f->page), ==, "");

  /* Ctrl+F opens it again, empty, with the focus in it */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "transcript.find", NULL));
  g_assert_true (gtk_search_bar_get_search_mode (bar));
  WAIT_IDLE (f);
  g_assert_cmpuint (_vp_transcript_page_get_n_matches (f->page), ==, 0);
  {
    GtkWidget *entry = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->page), VP_TYPE_TRANSCRIPT_PAGE, "search_entry"));
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

    g_assert_true (focus != NULL && (focus == entry || gtk_widget_is_ancestor (focus, entry)));
  }
}

static void
test_find_fixture (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(VpResult) result = load_fixture ();

  vp_transcript_page_set_result (f->page, result);
  WAIT_IDLE (f);

  /* "card" four times, "Card" never: all found */
  _vp_transcript_page_find (f->page, "CARD");
  WAIT_IDLE (f);
  g_assert_cmpuint (_vp_transcript_page_get_n_matches (f->page), ==, 3);
  g_assert_cmpstr (_vp_transcript_page_get_match_label (f->page), ==, "1 of 3");

  /* Find reads what is shown: masked numbers are not found */
  _vp_transcript_page_find (f->page, "5500");
  WAIT_IDLE (f);
  g_assert_cmpuint (_vp_transcript_page_get_n_matches (f->page), ==, 1);
  g_object_set (f->page, "mask-pii", TRUE, NULL);
  WAIT_IDLE (f);
  g_assert_cmpuint (_vp_transcript_page_get_n_matches (f->page), ==, 0);
  g_object_set (f->page, "mask-pii", FALSE, NULL);
  WAIT_IDLE (f);
  g_assert_cmpuint (_vp_transcript_page_get_n_matches (f->page), ==, 1);
}

static double
get_scale (Fixture *f)
{
  double scale = 0;

  g_object_get (f->page, "text-scale", &scale, NULL);
  return scale;
}

static void
test_text_scale (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GSettings) settings = vp_settings_try_new ();
  GtkButton *reset;

  g_assert_nonnull (settings);
  g_assert_cmpfloat_with_epsilon (get_scale (f), 1.0, 0.001);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "transcript.zoom-in", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "transcript.zoom-in", NULL));
  g_assert_cmpfloat_with_epsilon (get_scale (f), 1.2, 0.001);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "text-scale"), 1.2, 0.001);
  reset = GTK_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (f->page), VP_TYPE_TRANSCRIPT_PAGE, "zoom_reset_button"));
  g_assert_cmpstr (gtk_button_get_label (reset), ==, "120%");

  /* A new window (the next start) has the same size */
  close_page (f);
  open_page (f);
  g_assert_cmpfloat_with_epsilon (get_scale (f), 1.2, 0.001);
  reset = GTK_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (f->page), VP_TYPE_TRANSCRIPT_PAGE, "zoom_reset_button"));
  g_assert_cmpstr (gtk_button_get_label (reset), ==, "120%");

  gtk_widget_activate_action (GTK_WIDGET (f->page), "transcript.zoom-out", NULL);
  g_assert_cmpfloat_with_epsilon (get_scale (f), 1.1, 0.001);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "transcript.zoom-reset", NULL);
  g_assert_cmpfloat_with_epsilon (get_scale (f), 1.0, 0.001);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "text-scale"), 1.0, 0.001);

  /* Bounded both ways */
  for (guint i = 0; i < 20; i++)
    gtk_widget_activate_action (GTK_WIDGET (f->page), "transcript.zoom-in", NULL);
  g_assert_cmpfloat_with_epsilon (get_scale (f), 2.5, 0.001);
  for (guint i = 0; i < 20; i++)
    gtk_widget_activate_action (GTK_WIDGET (f->page), "transcript.zoom-out", NULL);
  g_assert_cmpfloat_with_epsilon (get_scale (f), 0.6, 0.001);

  /* A change made elsewhere (the preferences) shows here */
  g_settings_set_double (settings, "text-scale", 1.5);
  WAIT_UNTIL (G_APPROX_VALUE (get_scale (f), 1.5, 0.001));
}

/* The offsets in the conversation where each turn's text starts */
static GArray *
turn_offsets (Fixture *f)
{
  static const char * const text_tags[] = { "agent-text", "customer-text", "other-text" };
  GtkTextBuffer *buffer = view_buffer (f, "conversation");
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);
  GArray *offsets = g_array_new (FALSE, FALSE, sizeof (int));
  GtkTextIter iter;

  gtk_text_buffer_get_start_iter (buffer, &iter);
  do
    {
      for (guint t = 0; t < G_N_ELEMENTS (text_tags); t++)
        if (gtk_text_iter_starts_tag (&iter, gtk_text_tag_table_lookup (table, text_tags[t])))
          {
            int offset = gtk_text_iter_get_offset (&iter);
            g_array_append_val (offsets, offset);
          }
    }
  while (gtk_text_iter_forward_char (&iter));

  return offsets;
}

static void
assert_jump (Fixture   *f,
             VpResult  *result,
             GArray    *offsets,
             guint      index)
{
  GtkTextBuffer *buffer = view_buffer (f, "conversation");
  const VpSegment *segments;
  guint n_segments = 0;
  g_autofree char *text = NULL;
  GtkTextIter cursor, end;

  segments = vp_result_get_segments (result, &n_segments);
  g_assert_cmpuint (index, <, n_segments);

  _vp_transcript_page_show_view (f->page, "segments");
  g_assert_true (_vp_transcript_page_jump_to_segment (f->page, index));
  g_assert_cmpstr (_vp_transcript_page_get_visible_view (f->page), ==, "conversation");

  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  if (gtk_text_iter_get_offset (&cursor) != g_array_index (offsets, int, index))
    {
      end = cursor;
      gtk_text_iter_forward_to_line_end (&end);
      g_test_message ("segment %u “%s” went to %d: “%s”", index, segments[index].text,
                      gtk_text_iter_get_offset (&cursor), gtk_text_iter_get_text (&cursor, &end));
    }
  g_assert_cmpint (gtk_text_iter_get_offset (&cursor), ==, g_array_index (offsets, int, index));

  end = cursor;
  gtk_text_iter_forward_to_line_end (&end);
  text = gtk_text_iter_get_text (&cursor, &end);
  g_assert_true (g_str_has_prefix (text, segments[index].text));
}

static void
test_segment_jump (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(VpResult) fixture = load_fixture ();
  g_autoptr(VpResult) result = find_pro_call (f, 1, NULL);
  g_autoptr(GArray) offsets = NULL;
  const VpSegment *segments;
  guint n_segments = 0;

  /* The hand-made call: every segment is one turn */
  vp_transcript_page_set_result (f->page, fixture);
  WAIT_IDLE (f);
  offsets = turn_offsets (f);
  vp_result_get_segments (fixture, &n_segments);
  g_assert_cmpuint (offsets->len, ==, n_segments);
  for (guint i = 0; i < n_segments; i++)
    assert_jump (f, fixture, offsets, i);

  /* The times are shown first on each line of the segments */
  {
    g_autofree char *text = buffer_text (f, "segments");
    g_assert_true (g_str_has_prefix (text, "0:00   Thank you for calling"));
  }

  /* A generated call; a segment said twice ("Thank you.") goes to the
   * right one, the nearest to where the segment is */
  g_clear_pointer (&offsets, g_array_unref);
  vp_transcript_page_set_result (f->page, result);
  WAIT_IDLE (f);
  offsets = turn_offsets (f);
  segments = vp_result_get_segments (result, &n_segments);
  g_assert_cmpuint (offsets->len, ==, n_segments);
  assert_jump (f, result, offsets, n_segments / 2);
  assert_jump (f, result, offsets, n_segments - 1);
  assert_jump (f, result, offsets, 0);
  for (guint i = 1; i < n_segments; i++)
    for (guint j = 0; j < i; j++)
      if (g_str_equal (segments[i].text, segments[j].text))
        {
          g_test_message ("segment %u says the same as %u: “%s”", i, j, segments[i].text);
          assert_jump (f, result, offsets, i);
          assert_jump (f, result, offsets, j);
        }

  g_assert_false (_vp_transcript_page_jump_to_segment (f->page, n_segments));
}

/* The longest the main loop went without running a 5 ms timeout */
typedef struct {
  gint64 last;
  gint64 max_gap;
} Probe;

static gboolean
probe_cb (gpointer user_data)
{
  Probe *probe = user_data;
  gint64 now = g_get_monotonic_time ();

  probe->max_gap = MAX (probe->max_gap, now - probe->last);
  probe->last = now;

  return G_SOURCE_CONTINUE;
}

static void
test_long_call (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *job_id = vp_sandbox_dup_job_id (f->sandbox, 0);
  g_autoptr(VpJob) job = NULL;
  g_autoptr(VpResult) result = NULL;
  g_autoptr(VpResult) small = load_fixture ();
  g_autofree char *text = NULL;
  Probe probe = { 0 };
  guint probe_id;
  gint64 begin;
  guint n;

  g_assert_true (vp_sandbox_set_long_call (f->sandbox, job_id, 40000));
  g_assert_true (vp_sandbox_set_job_status (f->sandbox, job_id, "completed"));
  job = test_get_job (f->probe, job_id);
  result = test_get_result (f->probe, job);

  probe.last = g_get_monotonic_time ();
  probe_id = g_timeout_add (5, probe_cb, &probe);

  /* Open it */
  begin = g_get_monotonic_time ();
  vp_transcript_page_set_result (f->page, result);
  WAIT_IDLE (f);
  /* ... and let the view lay the text out */
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, TRUE);
  g_test_message ("long call: shown in %.0f ms, longest main-loop stall %.1f ms",
                  (g_get_monotonic_time () - begin) / 1000.0, probe.max_gap / 1000.0);

  text = buffer_text (f, "conversation");
  g_assert_cmpuint (g_utf8_strlen (text, -1), >, 150000);

  /* The raw transcript, hidden behind the switcher, is given to its view
   * when shown, not laid out before */
  {
    GtkTextView *raw = _vp_transcript_page_get_view (f->page, "raw");

    g_assert_true (gtk_text_view_get_buffer (raw) != view_buffer (f, "raw"));
    _vp_transcript_page_show_view (f->page, "raw");
    WAIT_UNTIL (gtk_text_view_get_buffer (raw) == view_buffer (f, "raw"));
    g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (raw)), >, 0);
    _vp_transcript_page_show_view (f->page, "conversation");
  }

  /* Search it */
  probe.max_gap = 0;
  probe.last = g_get_monotonic_time ();
  begin = g_get_monotonic_time ();
  _vp_transcript_page_find (f->page, "the");
  WAIT_IDLE (f);
  n = _vp_transcript_page_get_n_matches (f->page);
  g_test_message ("long call: %u matches of “the” in %.0f ms, longest stall %.1f ms",
                  n, (g_get_monotonic_time () - begin) / 1000.0, probe.max_gap / 1000.0);
  g_assert_cmpuint (n, ==, count_casefolded (text, "the"));

  /* Masking it */
  probe.max_gap = 0;
  probe.last = g_get_monotonic_time ();
  begin = g_get_monotonic_time ();
  g_object_set (f->page, "mask-pii", TRUE, NULL);
  WAIT_IDLE (f);
  g_test_message ("long call: masked in %.0f ms, longest stall %.1f ms",
                  (g_get_monotonic_time () - begin) / 1000.0, probe.max_gap / 1000.0);
  g_object_set (f->page, "mask-pii", FALSE, NULL);

  /* Another call while the long one is still coming in wins */
  vp_transcript_page_set_result (f->page, result);
  vp_transcript_page_set_result (f->page, small);
  WAIT_IDLE (f);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_clear_pointer (&text, g_free);
  text = buffer_text (f, "conversation");
  g_assert_true (g_str_has_prefix (text, "Agent\nThank you for calling Northwind"));

  /* Closing the window while a long call comes in */
  vp_transcript_page_set_result (f->page, result);
  g_source_remove (probe_id);
}

int
main (int    argc,
      char **argv)
{
  /* Comparisons are with English strings */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);

  gtk_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/reader/pii-fixture", test_pii_fixture);
  ADD ("/reader/pii-generated", test_pii_generated);
  ADD ("/reader/mask", test_mask);
  ADD ("/reader/find", test_find);
  ADD ("/reader/find-fixture", test_find_fixture);
  ADD ("/reader/text-scale", test_text_scale);
  ADD ("/reader/segment-jump", test_segment_jump);
  ADD ("/reader/long-call", test_long_call);

#undef ADD

  return g_test_run ();
}
