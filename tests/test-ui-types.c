/* test-ui-types.c: every type the app's .ui files name is registered
 *
 * voxparse-browser runs the app from a library opened with RTLD_LOCAL
 * (src/app/main.c), where GtkBuilder's last resort for a type it does not
 * know, dlsym() on the program, finds nothing.  So every class an <object>
 * of the app's resources names must be registered before GtkBuilder reads
 * it: vp_application_ensure_types() does that.  This test reads each .ui
 * file of the resources, as the app does, in a process that has touched
 * no type yet.  The tests' own executables link the app and would find
 * a missing type through dlsym(), so only this one would notice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-ui-types"

#include "config.h"

#include <gtk/gtk.h>

#include "vp-application.h"

#define RESOURCE_DIR "/com/voxparse/CallBrowser/"

/* Every class named by an <object> of the resources' .ui files, with
 * the file it was first seen in, once each */
static GHashTable *
collect_object_classes (void)
{
  g_autoptr(GHashTable) classes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GRegex) regex = NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(GError) error = NULL;

  regex = g_regex_new ("<object\\b[^>]*\\bclass=\"([^\"]+)\"", G_REGEX_OPTIMIZE, 0, &error);
  g_assert_no_error (error);

  names = g_resources_enumerate_children (RESOURCE_DIR, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat (RESOURCE_DIR, names[i], NULL);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *text = NULL;
      gsize size;

      if (!g_str_has_suffix (names[i], ".ui"))
        continue;

      bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
      g_assert_no_error (error);
      text = g_strndup (g_bytes_get_data (bytes, &size), g_bytes_get_size (bytes));

      for (g_regex_match (regex, text, 0, &match);
           g_match_info_matches (match);
           g_match_info_next (match, NULL))
        {
          char *name = g_match_info_fetch (match, 1);

          if (g_hash_table_contains (classes, name))
            g_free (name);
          else
            g_hash_table_insert (classes, name, g_strdup (names[i]));
        }
    }

  return g_steal_pointer (&classes);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* "Class (file.ui)" for each class not registered yet, sorted, or NULL */
static char *
describe_unregistered (GHashTable *classes)
{
  g_autoptr(GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer name, file;

  g_hash_table_iter_init (&iter, classes);
  while (g_hash_table_iter_next (&iter, &name, &file))
    if (g_type_from_name (name) == G_TYPE_INVALID)
      g_ptr_array_add (missing, g_strdup_printf ("%s (%s)", (char *) name, (char *) file));

  if (missing->len == 0)
    return NULL;

  g_ptr_array_sort (missing, compare_strings);
  g_ptr_array_add (missing, NULL);

  return g_strjoinv (", ", (char **) missing->pdata);
}

/* Run first, before anything registers a type: without
 * vp_application_ensure_types() some classes are unknown, so the next
 * test's check is one that can fail. */
static void
test_some_unknown_at_first (void)
{
  g_autoptr(GHashTable) classes = collect_object_classes ();
  g_autofree char *missing = describe_unregistered (classes);

  g_assert_cmpuint (g_hash_table_size (classes), >, 20);
  g_test_message ("unknown before: %s", missing ? missing : "none");
  g_assert_nonnull (missing);
}

static void
test_all_known_after_ensure (void)
{
  g_autoptr(GHashTable) classes = collect_object_classes ();
  g_autofree char *missing = NULL;

  vp_application_ensure_types ();

  missing = describe_unregistered (classes);
  if (missing != NULL)
    g_test_fail_printf ("vp_application_ensure_types() does not register: %s", missing);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui-types/some-unknown-at-first", test_some_unknown_at_first);
  g_test_add_func ("/ui-types/all-known-after-ensure", test_all_known_after_ensure);

  return g_test_run ();
}
