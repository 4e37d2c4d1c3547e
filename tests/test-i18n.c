/* test-i18n.c: the main window in German has no English left
 *
 * Runs under a headless display (tests/headless.sh) with LANGUAGE=de and
 * LC_ALL=de_DE.UTF-8, the catalogue built in <builddir>/po
 * (VOXPARSE_LOCALEDIR), and the in-process sandbox.  It reads po/de.po
 * with a small parser: every English msgid whose German msgstr differs is
 * a string that must not be seen on screen.  Then it opens a completed
 * call, shows each pane in turn, and walks every widget of the window:
 * labels, buttons, check buttons, tooltips, placeholders, the window title
 * and the primary menu.  A text equal to such an English msgid is a string
 * left untranslated (not marked, not in POTFILES, or not translated), and
 * fails the test, naming the string and the widget.
 *
 * It also checks that de.po is complete (no empty or fuzzy entry) and that
 * numbers and dates follow the German locale.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-i18n"

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <string.h>

#include "vp-client.h"
#include "vp-format.h"
#include "vp-job-list.h"
#include "vp-sandbox.h"
#include "vp-tooltip.h"
#include "vp-window-private.h"
#include "test-util.h"

#define TEST_KEY "i18n-test-key"

typedef struct {
  GString  *msgctxt;
  GString  *msgid;
  GString  *msgid_plural;
  GString  *msgstr;         /* msgstr or msgstr[0] */
  gboolean  fuzzy;
} PoEntry;

/* English text on screen → its German translation */
static GHashTable *english;
static GPtrArray *entries;
static gboolean have_locale;

static void
po_entry_free (PoEntry *entry)
{
  g_string_free (entry->msgctxt, TRUE);
  g_string_free (entry->msgid, TRUE);
  g_string_free (entry->msgid_plural, TRUE);
  g_string_free (entry->msgstr, TRUE);
  g_free (entry);
}

/* "…" with C escapes → the string */
static char *
po_unquote (const char *line)
{
  const char *start = strchr (line, '"');
  const char *end = strrchr (line, '"');
  g_autofree char *inner = NULL;

  if (start == NULL || end == NULL || end <= start)
    return g_strdup ("");

  inner = g_strndup (start + 1, end - start - 1);
  return g_strcompress (inner);
}

/* Just enough of the PO format for files msgfmt accepts: entries are
 * separated by keywords, strings continue on lines that start with a
 * quote, obsolete entries (#~) are left out. */
static GPtrArray *
po_parse (const char *path)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) po_entry_free);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  PoEntry *entry = NULL;
  GString *target = NULL;
  gboolean fuzzy = FALSE;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      g_autofree char *text = NULL;

      if (*line == '\0' || g_str_has_prefix (line, "#~"))
        {
          target = NULL;
          continue;
        }
      if (g_str_has_prefix (line, "#,"))
        {
          fuzzy = strstr (line, "fuzzy") != NULL;
          continue;
        }
      if (*line == '#')
        continue;

      text = po_unquote (line);

      if (*line == '"')
        {
          if (target != NULL)
            g_string_append (target, text);
          continue;
        }

      /* A new entry starts with msgctxt, or with msgid when no msgctxt
       * came first. */
      if (g_str_has_prefix (line, "msgctxt ") ||
          (g_str_has_prefix (line, "msgid ") && (entry == NULL || entry->msgid->len > 0 ||
                                                  entry->msgstr->len > 0 || target == entry->msgstr)))
        {
          entry = g_new0 (PoEntry, 1);
          entry->msgctxt = g_string_new (NULL);
          entry->msgid = g_string_new (NULL);
          entry->msgid_plural = g_string_new (NULL);
          entry->msgstr = g_string_new (NULL);
          entry->fuzzy = fuzzy;
          fuzzy = FALSE;
          g_ptr_array_add (result, entry);
        }

      if (entry == NULL)
        continue;

      if (g_str_has_prefix (line, "msgctxt "))
        target = entry->msgctxt;
      else if (g_str_has_prefix (line, "msgid_plural "))
        target = entry->msgid_plural;
      else if (g_str_has_prefix (line, "msgid "))
        target = entry->msgid;
      else if (g_str_has_prefix (line, "msgstr ") || g_str_has_prefix (line, "msgstr[0] "))
        target = entry->msgstr;
      else
        {
          /* msgstr[1] and beyond */
          target = NULL;
          continue;
        }

      g_string_assign (target, text);
    }

  return g_steal_pointer (&result);
}

static char *
strip_mnemonic (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '_' && p[1] == '_')
        {
          g_string_append_c (out, '_');
          p++;
        }
      else if (*p != '_')
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

static void
load_catalogue (void)
{
  g_autofree char *path = NULL;

  path = g_build_filename (g_getenv ("VOXPARSE_SOURCE_DIR"), "po", "de.po", NULL);
  entries = po_parse (path);
  english = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < entries->len; i++)
    {
      PoEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *plain_id = NULL;
      g_autofree char *plain_str = NULL;

      if (entry->msgid->len == 0)
        continue;

      /* Strings the same in both languages ("Status") prove nothing. */
      plain_id = strip_mnemonic (entry->msgid->str);
      plain_str = strip_mnemonic (entry->msgstr->str);
      if (g_str_equal (plain_id, plain_str))
        continue;

      g_hash_table_replace (english, g_strdup (entry->msgid->str), g_strdup (entry->msgstr->str));
      g_hash_table_replace (english, g_steal_pointer (&plain_id), g_strdup (entry->msgstr->str));
    }
}

static void
test_catalogue_complete (void)
{
  guint untranslated = 0;

  for (guint i = 0; i < entries->len; i++)
    {
      PoEntry *entry = g_ptr_array_index (entries, i);

      if (entry->msgid->len == 0)
        continue;

      if (entry->fuzzy || entry->msgstr->len == 0)
        {
          g_test_message ("not translated%s: “%s”", entry->fuzzy ? " (fuzzy)" : "", entry->msgid->str);
          untranslated++;
        }
    }

  g_test_message ("%u entries in de.po", entries->len);
  g_assert_cmpuint (entries->len, >, 100);
  g_assert_cmpuint (untranslated, ==, 0);
}

static void
test_locale_formats (void)
{
  g_autoptr(GDateTime) date = g_date_time_new_utc (2025, 11, 27, 13, 5, 0);
  g_autofree char *money = NULL;
  g_autofree char *long_date = NULL;

  if (!have_locale)
    {
      g_test_skip ("the de_DE.UTF-8 locale is not installed (build-aux/setup.sh generates it)");
      return;
    }

  money = vp_format_money (1049.99);
  g_test_message ("1049.99 → %s", money);
  g_assert_nonnull (strstr (money, "1.049,99"));

  long_date = vp_format_date_long (date);
  g_test_message ("2025-11-27 13:05 UTC → %s", long_date);
  g_assert_nonnull (strstr (long_date, "November 2025"));
  g_assert_nonnull (strstr (long_date, "27."));
  g_assert_null (strstr (long_date, " at "));
}

typedef struct {
  GString *failures;
  guint    checked;
  guint    pane;
} Walk;

static void
check_text (Walk       *walk,
            GtkWidget  *widget,
            const char *what,
            const char *text)
{
  const char *german;

  if (text == NULL || *text == '\0')
    return;

  walk->checked++;
  german = g_hash_table_lookup (english, text);
  if (german != NULL)
    g_string_append_printf (walk->failures, "\n  %s of %s (%s) is in English: “%s” (German: “%s”)",
                            what, G_OBJECT_TYPE_NAME (widget),
                            gtk_widget_get_name (widget), text, german);
}

static void
check_menu (Walk       *walk,
            GtkWidget  *widget,
            GMenuModel *menu)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *label = NULL;

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        check_text (walk, widget, "menu item", label);

      for (const char *link_name = G_MENU_LINK_SECTION; link_name != NULL;
           link_name = g_str_equal (link_name, G_MENU_LINK_SECTION) ? G_MENU_LINK_SUBMENU : NULL)
        {
          g_autoptr(GMenuModel) link = g_menu_model_get_item_link (menu, i, link_name);

          if (link != NULL)
            check_menu (walk, widget, link);
        }
    }
}

static void
walk_widget (Walk      *walk,
             GtkWidget *widget)
{
  if (!gtk_widget_get_visible (widget))
    return;

  if (GTK_IS_LABEL (widget))
    {
      check_text (walk, widget, "label", gtk_label_get_text (GTK_LABEL (widget)));
      check_text (walk, widget, "label", gtk_label_get_label (GTK_LABEL (widget)));
    }
  else if (GTK_IS_BUTTON (widget))
    check_text (walk, widget, "button", gtk_button_get_label (GTK_BUTTON (widget)));
  else if (GTK_IS_CHECK_BUTTON (widget))
    check_text (walk, widget, "check button", gtk_check_button_get_label (GTK_CHECK_BUTTON (widget)));
  else if (GTK_IS_MENU_BUTTON (widget))
    {
      GMenuModel *menu;

      /* A menu made when first opened (the main menu) */
      if (gtk_menu_button_get_popover (GTK_MENU_BUTTON (widget)) == NULL)
        {
          gtk_menu_button_popup (GTK_MENU_BUTTON (widget));
          gtk_menu_button_popdown (GTK_MENU_BUTTON (widget));
        }
      menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget));

      check_text (walk, widget, "menu button", gtk_menu_button_get_label (GTK_MENU_BUTTON (widget)));
      if (menu != NULL)
        check_menu (walk, widget, menu);
    }

  if (GTK_IS_EDITABLE (widget) &&
      g_object_class_find_property (G_OBJECT_GET_CLASS (widget), "placeholder-text") != NULL)
    {
      g_autofree char *placeholder = NULL;

      g_object_get (widget, "placeholder-text", &placeholder, NULL);
      check_text (walk, widget, "placeholder", placeholder);
    }

  if (GTK_IS_DROP_DOWN (widget))
    {
      GListModel *model = gtk_drop_down_get_model (GTK_DROP_DOWN (widget));

      if (GTK_IS_STRING_LIST (model))
        for (guint i = 0; i < g_list_model_get_n_items (model); i++)
          check_text (walk, widget, "choice", gtk_string_list_get_string (GTK_STRING_LIST (model), i));
    }

  check_text (walk, widget, "tooltip", gtk_widget_get_tooltip_text (widget));
  check_text (walk, widget, "tooltip", vp_tooltip_get_text (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    walk_widget (walk, child);
}

static void
walk_window (Walk      *walk,
             GtkWindow *window)
{
  check_text (walk, GTK_WIDGET (window), "title", gtk_window_get_title (window));
  walk_widget (walk, GTK_WIDGET (window));
  if (gtk_window_get_titlebar (window) != NULL)
    walk_widget (walk, gtk_window_get_titlebar (window));
}

static void
test_main_window (void)
{
  g_autoptr(VpSandbox) sandbox = NULL;
  g_autoptr(VpClient) client = NULL;
  g_autoptr(GError) error = NULL;
  VpWindow *window;
  VpJobList *list;
  Walk walk = { 0 };
  g_autofree char *completed = NULL;

  if (!have_locale)
    {
      g_test_skip ("the de_DE.UTF-8 locale is not installed (build-aux/setup.sh generates it)");
      return;
    }

  /* The catalogue is really in use. */
  g_assert_cmpstr (_("Refresh"), !=, "Refresh");

  walk.failures = g_string_new (NULL);

  /* The welcome page first (same window, before any account) */
  window = vp_window_new (NULL);
  vp_window_show_welcome (window, NULL);
  gtk_window_present (GTK_WINDOW (window));
  walk_window (&walk, GTK_WINDOW (window));

  sandbox = vp_sandbox_new (11, 120, TEST_KEY);
  g_assert_true (vp_sandbox_start_thread (sandbox, 0, &error));
  g_assert_no_error (error);
  client = vp_client_new (vp_sandbox_get_base_url (sandbox), TEST_KEY);

  vp_window_set_client (window, client, NULL);
  list = _vp_window_get_job_list (window);
  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (list)) > 0 && !vp_job_list_is_loading (list));

  /* A completed call: every pane has content */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr(VpJob) job = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (vp_job_get_status (job) == VP_JOB_STATUS_COMPLETED)
        {
          completed = g_strdup (vp_job_get_id (job));
          break;
        }
    }
  g_assert_nonnull (completed);
  g_assert_true (_vp_window_select_job (window, completed));
  WAIT_UNTIL (g_strcmp0 (_vp_window_get_view_state (window), "result") == 0);

  for (walk.pane = 0; walk.pane < 4; walk.pane++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-pane", "i", (int) walk.pane));
      g_assert_cmpuint (_vp_window_get_pane (window), ==, walk.pane);
      /* Let the pane lay itself out (lazily built rows) */
      for (guint i = 0; i < 20 && g_main_context_iteration (NULL, FALSE); i++)
        ;
      walk_window (&walk, GTK_WINDOW (window));
    }

  g_test_message ("%u texts checked", walk.checked);
  g_assert_cmpuint (walk.checked, >, 50);

  if (walk.failures->len > 0)
    g_error ("Untranslated strings in the main window:%s", walk.failures->str);

  g_string_free (walk.failures, TRUE);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("VOXPARSE_LOCALEDIR");

  g_setenv ("LANGUAGE", "de", TRUE);
  g_setenv ("LC_ALL", "de_DE.UTF-8", TRUE);
  g_setenv ("TZ", "Europe/Berlin", TRUE);
  have_locale = setlocale (LC_ALL, "") != NULL;

  if (localedir != NULL)
    bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);

  if (!have_locale)
    g_test_message ("setlocale (de_DE.UTF-8) failed: the locale is not generated "
                    "(locale-gen, see build-aux/setup.sh); the window tests are skipped");

  load_catalogue ();

  /* The window first: when a string is missing, it names what shows in
   * English, before the catalogue check stops the run. */
  g_test_add_func ("/i18n/main-window-in-german", test_main_window);
  g_test_add_func ("/i18n/catalogue-complete", test_catalogue_complete);
  g_test_add_func ("/i18n/locale-formats", test_locale_formats);

  return g_test_run ();
}
