/* vp-application.c: the VoxParse Call Browser application
 *
 * Reads --base-url, --api-key and --demo (with the environment, through
 * vp-options), sets up the style sheet, the dark style and the keyboard
 * shortcuts, and opens the window: on the sample calls with --demo, on the
 * account when a key is known, on the welcome page otherwise.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-application"

#include "config.h"

#include <glib/gi18n.h>

#include "vp-application.h"
#include "vp-compliance-page.h"
#include "vp-filter-bar.h"
#include "vp-financial-page.h"
#include "vp-job-header.h"
#include "vp-job-view.h"
#include "vp-list-footer.h"
#include "vp-options.h"
#include "vp-overview-page.h"
#include "vp-placeholder.h"
#include "vp-preferences-dialog.h"
#include "vp-sandbox.h"
#include "vp-secret-store.h"
#include "vp-settings.h"
#include "vp-style-manager.h"
#include "vp-totals-bar.h"
#include "vp-transcript-page.h"
#include "vp-url.h"
#include "vp-window.h"
#include "vp-window-private.h"

/* The exit status for an unusable server address, as the commands use */
#define EXIT_BAD_SERVER 3
/* The window waits this long at most for its first page of calls before
 * it shows, so it is drawn once, with them, rather than empty first */
#define PRESENT_WAIT_MS 200

struct _VpApplication
{
  GtkApplication       parent_instance;

  VpConnectionOptions  options;
  VpSandbox           *sandbox;
  VpStyleManager      *style_manager;
  GCancellable        *cancellable;
};

G_DEFINE_FINAL_TYPE (VpApplication, vp_application, GTK_TYPE_APPLICATION)

static const GOptionEntry main_entries[] = {
  { "base-url", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("The VoxParse server (default: https://api.voxparse.com)"), N_("URL") },
  { "api-key", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("The API key of the account"), N_("KEY") },
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Explore sample calls from a built-in server"), NULL },
  { NULL }
};

VpApplication *
vp_application_new (void)
{
  return g_object_new (VP_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/com/voxparse/CallBrowser",
                       NULL);
}

VpClient *
vp_application_dup_demo_client (VpApplication  *self,
                                GError        **error)
{
  g_return_val_if_fail (VP_IS_APPLICATION (self), NULL);

  if (self->sandbox == NULL)
    {
      g_autoptr(VpSandbox) sandbox = NULL;

      sandbox = vp_sandbox_new (VP_SANDBOX_DEFAULT_SEED,
                                VP_DEMO_N_JOBS,
                                VP_SANDBOX_DEFAULT_API_KEY);
      if (!vp_sandbox_start_thread (sandbox, 0, error))
        return NULL;

      g_debug ("Sample calls served at %s", vp_sandbox_get_base_url (sandbox));
      self->sandbox = g_steal_pointer (&sandbox);
    }

  return vp_client_new (vp_sandbox_get_base_url (self->sandbox),
                        vp_sandbox_get_api_key (self->sandbox));
}

static int
vp_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  VpApplication *self = VP_APPLICATION (app);

  g_clear_pointer (&self->options.base_url, g_free);
  g_clear_pointer (&self->options.api_key, g_free);

  g_variant_dict_lookup (options, "base-url", "s", &self->options.base_url);
  g_variant_dict_lookup (options, "api-key", "s", &self->options.api_key);
  self->options.demo = g_variant_dict_contains (options, "demo");

  /* --base-url, then VOXPARSE_BASE_URL, then the server of the
   * preferences, then the default. */
  if ((self->options.base_url == NULL || *self->options.base_url == '\0') &&
      (g_getenv ("VOXPARSE_BASE_URL") == NULL || *g_getenv ("VOXPARSE_BASE_URL") == '\0'))
    {
      g_autoptr(GSettings) settings = vp_settings_try_new ();

      if (settings != NULL)
        {
          g_free (self->options.base_url);
          self->options.base_url = g_settings_get_string (settings, "server-url");
        }
    }

  vp_connection_options_resolve (&self->options);

  if (!self->options.demo)
    {
      g_autoptr(GError) error = NULL;

      if (!vp_url_check_server (self->options.base_url, &error))
        {
          g_printerr ("voxparse-browser: %s\n", error->message);
          return EXIT_BAD_SERVER;
        }
    }

  /* Carry on: activate the (first) instance. */
  return -1;
}

static void
load_style (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, "/com/voxparse/CallBrowser/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
refresh_activated (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  if (VP_IS_WINDOW (window))
    vp_window_refresh (VP_WINDOW (window));
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (user_data));

  /* Windows first, so that their requests are cancelled in dispose. */
  while (windows != NULL)
    {
      GList *next = windows->next;

      gtk_window_destroy (GTK_WINDOW (windows->data));
      windows = next;
    }

  g_application_quit (G_APPLICATION (user_data));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  static const char *authors[] = { "The VoxParse Call Browser authors", NULL };
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  GtkWidget *dialog;

  dialog = g_object_new (GTK_TYPE_ABOUT_DIALOG,
                         "transient-for", window,
                         "modal", TRUE,
                         "destroy-with-parent", TRUE,
                         "program-name", _("VoxParse Call Browser"),
                         "logo-icon-name", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Read the transcripts and analyses of your calls"),
                         "website", "https://github.com/voxparse/call-browser",
                         "website-label", _("Website"),
                         "copyright", "© 2025 The VoxParse Call Browser authors",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", authors,
                         /* TRANSLATORS: your names, one a line, shown in the About dialog */
                         "translator-credits", _("translator-credits"),
                         NULL);
  gtk_about_dialog_add_credit_section (GTK_ABOUT_DIALOG (dialog), _("Built with"),
                                       (const char *[]) { "GTK https://gtk.org",
                                                          "libsoup https://libsoup.org",
                                                          "JSON-GLib https://gnome.pages.gitlab.gnome.org/json-glib/",
                                                          "libsecret https://gnome.pages.gitlab.gnome.org/libsecret/",
                                                          NULL });
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  VpPreferencesDialog *dialog;

  /* The active window may be the dialog itself. */
  if (VP_IS_PREFERENCES_DIALOG (window))
    {
      gtk_window_present (window);
      return;
    }

  dialog = vp_preferences_dialog_new (window);
  gtk_window_present (GTK_WINDOW (dialog));
}

static const GActionEntry app_actions[] = {
  { "refresh", refresh_activated },
  { "quit", quit_activated },
  { "about", about_activated },
  { "preferences", preferences_activated },
};

static void
vp_application_startup (GApplication *app)
{
  VpApplication *self = VP_APPLICATION (app);
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.refresh", { "F5", "<Control>r", NULL } },
    { "app.quit", { "<Control>q", NULL } },
    { "win.show-help-overlay", { "<Control>question", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "win.show-view('calls')", { "<Control>1", NULL } },
    { "win.show-view('audit')", { "<Control>2", NULL } },
    { "win.show-pane(0)", { "<Alt>1", NULL } },
    { "win.show-pane(1)", { "<Alt>2", NULL } },
    { "win.show-pane(2)", { "<Alt>3", NULL } },
    { "win.show-pane(3)", { "<Alt>4", NULL } },
    { "win.next-pane", { "<Control>Page_Down", NULL } },
    { "win.previous-pane", { "<Control>Page_Up", NULL } },
  };

  G_APPLICATION_CLASS (vp_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app),
                                           accels[i].action,
                                           accels[i].accels);

  /* No default window icon yet: the first window sets it after its first
   * frame (vp-window.c), where one set now would be drawn before. */
  g_set_application_name (_("VoxParse Call Browser"));

  load_style ();
  self->style_manager = vp_style_manager_new (NULL);
}

/* Benchmarks (tests/benchmarks/bench-startup): with
 * VOXPARSE_BENCH_FIRST_PAGE=1, print CLOCK_MONOTONIC (ns) on stderr at the
 * end of the first frame painted after the first jobs arrived, and quit. */
typedef struct {
  VpApplication *app;
  VpJobList     *job_list;
  gboolean       has_items;
} BenchWatch;

static void
on_bench_after_paint_cb (GdkFrameClock *clock,
                         BenchWatch    *watch)
{
  gint64 now;

  g_assert (watch != NULL);

  if (!watch->has_items)
    return;

  now = g_get_monotonic_time ();
  g_printerr ("VOXPARSE_BENCH_FIRST_PAGE %" G_GINT64_FORMAT "\n", now * 1000);
  g_signal_handlers_disconnect_by_func (clock, on_bench_after_paint_cb, watch);
  g_application_quit (G_APPLICATION (watch->app));
}

static void
on_bench_items_changed_cb (BenchWatch *watch)
{
  g_assert (watch != NULL);

  watch->has_items = g_list_model_get_n_items (G_LIST_MODEL (watch->job_list)) > 0;
}

static void
on_bench_realize_cb (GtkWidget  *window,
                     BenchWatch *watch)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_bench_after_paint_cb), watch);
}

static void
bench_watch_first_page (VpApplication *self,
                        VpWindow      *window)
{
  BenchWatch *watch;

  g_assert (VP_IS_APPLICATION (self));
  g_assert (VP_IS_WINDOW (window));

  if (g_getenv ("VOXPARSE_BENCH_FIRST_PAGE") == NULL ||
      _vp_window_get_job_list (window) == NULL)
    return;

  watch = g_new0 (BenchWatch, 1);
  watch->app = self;
  watch->job_list = _vp_window_get_job_list (window);
  g_object_set_data_full (G_OBJECT (window), "vp-bench-watch", watch, g_free);
  g_signal_connect_swapped (watch->job_list, "items-changed",
                            G_CALLBACK (on_bench_items_changed_cb), watch);
  g_signal_connect (window, "realize", G_CALLBACK (on_bench_realize_cb), watch);
}

/* Opens the window on the account when @api_key is known, on the
 * welcome page otherwise. */
static void
vp_application_open_window (VpApplication *self,
                            const char    *api_key)
{
  VpWindow *vp_window;

  g_assert (VP_IS_APPLICATION (self));

  vp_window = vp_window_new (GTK_APPLICATION (self));

  if (self->options.demo)
    {
      g_autoptr(VpClient) client = NULL;
      g_autoptr(GError) error = NULL;

      client = vp_application_dup_demo_client (self, &error);
      if (client != NULL)
        vp_window_set_client (vp_window, client, _("Sample Calls"));
      else
        {
          g_warning ("The sample calls could not be started: %s", error->message);
          vp_window_show_welcome (vp_window, self->options.base_url);
        }
    }
  else if (api_key != NULL)
    {
      g_autoptr(VpClient) client = NULL;

      client = vp_client_new (self->options.base_url, api_key);
      vp_window_set_client (vp_window, client, NULL);
    }
  else
    vp_window_show_welcome (vp_window, self->options.base_url);

  bench_watch_first_page (self, vp_window);
  vp_window_present_when_listed (vp_window, PRESENT_WAIT_MS);
}

static void
on_stored_key_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(VpApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  char *api_key;

  api_key = vp_secret_store_lookup_finish (result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (error != NULL)
        g_message ("The keyring could not be read: %s", error->message);

      if (gtk_application_get_active_window (GTK_APPLICATION (self)) == NULL)
        vp_application_open_window (self, api_key);
    }

  vp_secret_store_free_key (api_key);
  g_application_release (G_APPLICATION (self));
}

static void
vp_application_activate (GApplication *app)
{
  VpApplication *self = VP_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  /* --api-key and VOXPARSE_API_KEY win over the keyring. */
  if (self->options.demo || self->options.api_key != NULL)
    {
      vp_application_open_window (self, self->options.api_key);
      return;
    }

  /* The window opens once the keyring answered (it may ask to be
   * unlocked first), on the list when it has a key for the server. */
  g_application_hold (app);
  vp_secret_store_lookup_async (self->options.base_url, self->cancellable,
                                on_stored_key_cb, g_object_ref (self));
}

static void
vp_application_dispose (GObject *object)
{
  VpApplication *self = (VpApplication *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->style_manager);
  g_clear_object (&self->sandbox);
  vp_connection_options_clear (&self->options);

  G_OBJECT_CLASS (vp_application_parent_class)->dispose (object);
}

void
vp_application_ensure_types (void)
{
  /* It also saves GtkBuilder a dlsym() per type, a search through every
   * loaded library.  Types named only as a <template>'s class exist by
   * then; test-ui-types checks that no other is missing. */
  g_type_ensure (GTK_TYPE_ADJUSTMENT);
  g_type_ensure (GTK_TYPE_BOX);
  g_type_ensure (GTK_TYPE_BUTTON);
  g_type_ensure (GTK_TYPE_CENTER_BOX);
  g_type_ensure (GTK_TYPE_CHECK_BUTTON);
  g_type_ensure (GTK_TYPE_COLUMN_VIEW);
  g_type_ensure (GTK_TYPE_DROP_DOWN);
  g_type_ensure (GTK_TYPE_ENTRY);
  g_type_ensure (GTK_TYPE_GRID);
  g_type_ensure (GTK_TYPE_HEADER_BAR);
  g_type_ensure (GTK_TYPE_IMAGE);
  g_type_ensure (GTK_TYPE_LABEL);
  g_type_ensure (GTK_TYPE_LIST_VIEW);
  g_type_ensure (GTK_TYPE_MENU_BUTTON);
  g_type_ensure (GTK_TYPE_PANED);
  g_type_ensure (GTK_TYPE_PASSWORD_ENTRY);
  g_type_ensure (GTK_TYPE_POPOVER);
  g_type_ensure (GTK_TYPE_PROGRESS_BAR);
  g_type_ensure (GTK_TYPE_REVEALER);
  g_type_ensure (GTK_TYPE_SCROLLED_WINDOW);
  g_type_ensure (GTK_TYPE_SEARCH_BAR);
  g_type_ensure (GTK_TYPE_SEARCH_ENTRY);
  g_type_ensure (GTK_TYPE_SEPARATOR);
  g_type_ensure (GTK_TYPE_SHORTCUTS_GROUP);
  g_type_ensure (GTK_TYPE_SHORTCUTS_SECTION);
  g_type_ensure (GTK_TYPE_SHORTCUTS_SHORTCUT);
  g_type_ensure (GTK_TYPE_SHORTCUTS_WINDOW);
  g_type_ensure (GTK_TYPE_SPIN_BUTTON);
  g_type_ensure (GTK_TYPE_SPINNER);
  g_type_ensure (GTK_TYPE_STACK);
  g_type_ensure (GTK_TYPE_STACK_PAGE);
  g_type_ensure (GTK_TYPE_STACK_SWITCHER);
  g_type_ensure (GTK_TYPE_STRING_LIST);
  g_type_ensure (GTK_TYPE_TEXT_VIEW);
  g_type_ensure (GTK_TYPE_TOGGLE_BUTTON);
  g_type_ensure (GTK_TYPE_VIEWPORT);

  g_type_ensure (VP_TYPE_COMPLIANCE_PAGE);
  g_type_ensure (VP_TYPE_FILTER_BAR);
  g_type_ensure (VP_TYPE_FINANCIAL_PAGE);
  g_type_ensure (VP_TYPE_JOB_HEADER);
  g_type_ensure (VP_TYPE_JOB_VIEW);
  g_type_ensure (VP_TYPE_LIST_FOOTER);
  g_type_ensure (VP_TYPE_OVERVIEW_PAGE);
  g_type_ensure (VP_TYPE_PLACEHOLDER);
  g_type_ensure (VP_TYPE_TOTALS_BAR);
  g_type_ensure (VP_TYPE_TRANSCRIPT_PAGE);
}

static void
vp_application_class_init (VpApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = vp_application_dispose;

  app_class->handle_local_options = vp_application_handle_local_options;
  app_class->startup = vp_application_startup;
  app_class->activate = vp_application_activate;

  vp_application_ensure_types ();
}

static void
vp_application_init (VpApplication *self)
{
  self->cancellable = g_cancellable_new ();

  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Browse VoxParse calls: transcripts, summaries, compliance and money."));
}
