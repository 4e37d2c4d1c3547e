/* test-settings.c: what the window and the preferences remember
 *
 * Runs under a headless display (tests/headless.sh) with the memory
 * GSettings backend, which keeps values for the life of the process: a
 * window is changed and closed, and a new window must come back the same.
 * The preferences dialog is checked against the in-process sandbox: its
 * address check, its connection test and what Save writes.  Waits are
 * bounded main-loop iterations, never sleeps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-settings"

#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "vp-job-list.h"
#include "vp-preferences-dialog.h"
#include "vp-sandbox.h"
#include "vp-secret-store.h"
#include "vp-settings.h"
#include "vp-url.h"
#include "vp-window-private.h"
#include "test-util.h"
#include "test-widget-util.h"

#define TEST_KEY "settings-test-key"

static char *keyring_home;

static void
close_and_wait (GtkWindow *window)
{
  gpointer weak = window;

  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_close (window);
  WAIT_UNTIL (weak == NULL);
}

static void
test_url_check (void)
{
  const char *good[] = {
    "https://api.voxparse.com", "https://api.voxparse.com/", "HTTPS://example.org:8443/base",
    "http://127.0.0.1:8080", "http://127.1.2.3", "http://localhost:3000", "http://LOCALHOST",
    "http://[::1]:8080", "http://sandbox.localhost",
  };
  const char *refused[] = {
    "http://api.voxparse.com", "http://10.0.0.1", "http://[::2]", "http://localhost.example.com",
    "http://128.0.0.1", "ftp://example.org", "api.voxparse.com", "", "https://",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      if (!vp_url_check_server (good[i], &error))
        g_error ("%s refused: %s", good[i], error->message);
    }

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;

      if (vp_url_check_server (refused[i], &error))
        g_error ("%s accepted", refused[i]);
      g_assert_nonnull (error);
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (vp_url_check_server ("http://api.voxparse.com", &error));
    g_assert_nonnull (strstr (error->message, "Use https://"));
    g_assert_nonnull (strstr (error->message, "unencrypted"));
  }
}

static void
test_window_state_restored (void)
{
  g_autoptr(GSettings) settings = vp_settings_try_new ();
  g_autofree char *page = NULL;
  VpWindow *window;
  GtkPaned *paned;
  int width, height;

  g_assert_nonnull (settings);

  window = vp_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1010, 700);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));

  paned = GTK_PANED (test_find_of_type (GTK_WIDGET (window), GTK_TYPE_PANED));
  g_assert_nonnull (paned);
  gtk_paned_set_position (paned, 333);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-pane", "i", 2));

  close_and_wait (GTK_WINDOW (window));

  /* What the closed window left in the settings */
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1010);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  g_assert_cmpint (g_settings_get_int (settings, "sidebar-position"), ==, 333);
  page = g_settings_get_string (settings, "last-page");
  g_assert_cmpstr (page, ==, "compliance");

  /* A new window comes back the same */
  window = vp_window_new (NULL);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1010);
  g_assert_cmpint (height, ==, 700);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));
  paned = GTK_PANED (test_find_of_type (GTK_WIDGET (window), GTK_TYPE_PANED));
  g_assert_cmpint (gtk_paned_get_position (paned), ==, 333);
  g_assert_cmpuint (_vp_window_get_pane (window), ==, 2);

  /* And once more after other changes, through the settings this time */
  gtk_window_set_default_size (GTK_WINDOW (window), 1500, 900);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-pane", "i", 1));
  close_and_wait (GTK_WINDOW (window));

  window = vp_window_new (NULL);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1500);
  g_assert_cmpint (height, ==, 900);
  g_assert_cmpuint (_vp_window_get_pane (window), ==, 1);
  gtk_window_destroy (GTK_WINDOW (window));

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "sidebar-position");
  g_settings_reset (settings, "last-page");
}

static void
test_minimum_size (void)
{
  VpWindow *window = vp_window_new (NULL);
  int min_width, min_height;
  GtkRequisition minimum;

  /* The browser page (list and call) must fit 800×600. */
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));

  gtk_widget_get_preferred_size (GTK_WIDGET (window), &minimum, NULL);
  min_width = minimum.width;
  min_height = minimum.height;
  g_test_message ("minimum size %d×%d", min_width, min_height);
  if (min_width > 800 || min_height > 600)
    {
      /* Says which widgets are too wide, and lets the other tests run. */
      test_report_wide (GTK_WIDGET (window), 0);
      g_test_fail_printf ("the window needs at least %d×%d, more than 800×600",
                          min_width, min_height);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct {
  VpSandbox *sandbox;
  VpClient  *client;
  VpWindow  *window;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->sandbox = vp_sandbox_new (3, 120, TEST_KEY);
  g_assert_true (vp_sandbox_start_thread (f->sandbox, 0, &error));
  g_assert_no_error (error);

  f->client = vp_client_new (vp_sandbox_get_base_url (f->sandbox), TEST_KEY);
  f->window = vp_window_new (NULL);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GSettings) settings = vp_settings_try_new ();

  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->client);
  g_clear_object (&f->sandbox);

  g_settings_reset (settings, "page-size");
  g_settings_reset (settings, "server-url");
  g_settings_reset (settings, "keep-results-cache");
  g_settings_reset (settings, "color-scheme");
}

static void
test_page_size (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSettings) settings = vp_settings_try_new ();
  VpJobList *list;

  g_settings_set_uint (settings, "page-size", 20);

  vp_window_set_client (f->window, f->client, NULL);
  gtk_window_present (GTK_WINDOW (f->window));

  list = _vp_window_get_job_list (f->window);
  g_assert_cmpuint (vp_job_list_get_page_size (list), ==, 20);
  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (list)) > 0 && !vp_job_list_is_loading (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)) % 20, ==, 0);

  /* Changed in the preferences: the next page has the new size */
  g_settings_set_uint (settings, "page-size", 35);
  g_assert_cmpuint (vp_job_list_get_page_size (list), ==, 35);
}

static GtkEditable *
dialog_entry (VpPreferencesDialog *dialog,
              GType                type)
{
  GtkWidget *widget = test_find_of_type (GTK_WIDGET (dialog), type);

  g_assert_nonnull (widget);
  return GTK_EDITABLE (widget);
}

static void
test_preferences (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GSettings) settings = vp_settings_try_new ();
  g_autofree char *saved_url = NULL;
  g_autofree char *scheme = NULL;
  VpPreferencesDialog *dialog;
  GtkEditable *url_entry;
  GtkEditable *key_entry;
  GtkWidget *save_button;
  GtkWidget *test_button;
  GtkWidget *spin;
  const char *base_url = vp_sandbox_get_base_url (f->sandbox);
  VpClient *before;

  vp_window_set_client (f->window, f->client, NULL);
  gtk_window_present (GTK_WINDOW (f->window));
  before = vp_window_get_client (f->window);

  dialog = vp_preferences_dialog_new (GTK_WINDOW (f->window));
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  /* The stored key is looked up first (there is none here, or no keyring) */
  WAIT_UNTIL (!_vp_preferences_dialog_is_loading (dialog));

  url_entry = dialog_entry (dialog, GTK_TYPE_ENTRY);
  key_entry = dialog_entry (dialog, GTK_TYPE_PASSWORD_ENTRY);
  save_button = test_find_button (GTK_WIDGET (dialog), "_Save");
  test_button = test_find_button (GTK_WIDGET (dialog), "_Test Connection");
  g_assert_nonnull (save_button);
  g_assert_nonnull (test_button);

  /* http:// to another machine is refused, with the reason */
  gtk_editable_set_text (url_entry, "http://calls.example.com");
  g_assert_false (gtk_widget_get_sensitive (save_button));
  g_assert_false (gtk_widget_get_sensitive (test_button));
  g_assert_nonnull (test_find_of_type (GTK_WIDGET (dialog), GTK_TYPE_LABEL));

  /* The sandbox is on loopback: fine, and the test says the key works */
  gtk_editable_set_text (url_entry, base_url);
  g_assert_true (gtk_widget_get_sensitive (save_button));
  gtk_editable_set_text (key_entry, TEST_KEY);
  g_signal_emit_by_name (test_button, "clicked");
  g_assert_true (_vp_preferences_dialog_is_testing (dialog));
  WAIT_UNTIL (!_vp_preferences_dialog_is_testing (dialog));
  g_assert_cmpstr (_vp_preferences_dialog_get_test_text (dialog), ==,
                   "The server answers and accepts the key.");

  gtk_editable_set_text (key_entry, "not-the-key");
  g_signal_emit_by_name (test_button, "clicked");
  WAIT_UNTIL (!_vp_preferences_dialog_is_testing (dialog));
  g_assert_cmpstr (_vp_preferences_dialog_get_test_text (dialog), ==,
                   "The server answers, but it does not accept this key.");

  /* Cancelling a test */
  g_signal_emit_by_name (test_button, "clicked");
  g_assert_true (_vp_preferences_dialog_is_testing (dialog));
  g_signal_emit_by_name (test_button, "clicked");
  WAIT_UNTIL (!_vp_preferences_dialog_is_testing (dialog));
  g_assert_cmpstr (_vp_preferences_dialog_get_test_text (dialog), ==, "Test cancelled.");

  /* Save: settings written, the window gets a new client */
  gtk_editable_set_text (key_entry, TEST_KEY);
  spin = test_find_of_type (GTK_WIDGET (dialog), GTK_TYPE_SPIN_BUTTON);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 25);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (test_find_by_id (GTK_WIDGET (dialog), GTK_TYPE_CHECK_BUTTON,
                                                                  "cache_check")),
                               TRUE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (test_find_by_id (GTK_WIDGET (dialog), GTK_TYPE_CHECK_BUTTON,
                                                                  "style_dark_check")),
                               TRUE);
  g_signal_emit_by_name (save_button, "clicked");

  /* Closes once the key is stored (or storing failed: then it stays with
   * a message; either way the settings are written). */
  WAIT_UNTIL (dialog == NULL || gtk_widget_get_sensitive (save_button));
  if (keyring_home != NULL)
    g_assert_null (dialog);

  saved_url = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (saved_url, ==, base_url);
  g_assert_cmpuint (g_settings_get_uint (settings, "page-size"), ==, 25);
  g_assert_true (g_settings_get_boolean (settings, "keep-results-cache"));
  scheme = g_settings_get_string (settings, "color-scheme");
  g_assert_cmpstr (scheme, ==, "dark");

  g_assert_true (vp_window_get_client (f->window) != before);
  g_assert_cmpstr (vp_client_get_base_url (vp_window_get_client (f->window)), ==, base_url);
  g_assert_cmpuint (vp_job_list_get_page_size (_vp_window_get_job_list (f->window)), ==, 25);

  if (dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));

  /* The key went to the keyring */
  if (keyring_home != NULL)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      char *key;

      vp_secret_store_lookup_async (base_url, NULL, test_store_result_cb, &result);
      WAIT_UNTIL (result != NULL);
      key = vp_secret_store_lookup_finish (result, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (key, ==, TEST_KEY);
      vp_secret_store_free_key (key);
    }
  else
    g_test_message ("no private keyring: the stored key was not checked");
}

/* The preferences store the key: in a keyring of our own, under a
 * temporary HOME, never the user's.  The session bus (headless.sh's) is
 * told to start services in that HOME, then gnome-keyring-daemon creates
 * and unlocks a login keyring there. */
static const char *home_names[] = { "HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR" };
static const char *home_subdirs[] = { "", ".local/share", ".config", ".cache", "run" };

/* Before any thread exists: setenv() is not thread-safe. */
static void
make_private_home (void)
{
  g_autofree char *daemon = g_find_program_in_path ("gnome-keyring-daemon");
  g_autoptr(GError) error = NULL;

  if (daemon == NULL)
    return;

  keyring_home = g_dir_make_tmp ("vp-test-settings-XXXXXX", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (home_names); i++)
    {
      g_autofree char *dir = g_build_filename (keyring_home, home_subdirs[i], NULL);

      g_mkdir_with_parents (dir, 0700);
      g_setenv (home_names[i], dir, TRUE);
    }
}

static gboolean
start_private_keyring (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GVariantBuilder env;

  if (keyring_home == NULL)
    return FALSE;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    return FALSE;

  g_variant_builder_init (&env, G_VARIANT_TYPE ("a{ss}"));
  for (guint i = 0; i < G_N_ELEMENTS (home_names); i++)
    g_variant_builder_add (&env, "{ss}", home_names[i], g_getenv (home_names[i]));

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "UpdateActivationEnvironment",
                                       g_variant_new ("(a{ss})", &env), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);

  daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                             &error,
                             "gnome-keyring-daemon", "--unlock", "--components=secrets", "--daemonize",
                             NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (daemon, "test-settings-password", NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  return g_subprocess_get_successful (daemon);
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* Comparisons are with English strings. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  make_private_home ();

  gtk_test_init (&argc, &argv, NULL);

  /* The window as users see it: its size depends on the style sheet */
  test_load_app_style ();

  if (!start_private_keyring ())
    {
      g_test_message ("gnome-keyring-daemon cannot run here; storing the key is not checked");
      g_clear_pointer (&keyring_home, g_free);
    }

  g_test_add_func ("/settings/url-check", test_url_check);
  g_test_add_func ("/settings/window-state-restored", test_window_state_restored);
  g_test_add ("/settings/page-size", Fixture, NULL, fixture_set_up, test_page_size, fixture_tear_down);
  g_test_add ("/settings/preferences", Fixture, NULL, fixture_set_up, test_preferences, fixture_tear_down);
  /* Last: when it fails, it names the widgets that are too wide. */
  g_test_add_func ("/settings/minimum-size", test_minimum_size);

  status = g_test_run ();

  if (keyring_home != NULL)
    {
      const char *rm[] = { "rm", "-rf", keyring_home, NULL };

      g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
    }

  return status;
}
