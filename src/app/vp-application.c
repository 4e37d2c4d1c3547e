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
#include "vp-options.h"
#include "vp-sandbox.h"
#include "vp-window.h"

struct _VpApplication
{
  GtkApplication       parent_instance;

  VpConnectionOptions  options;
  VpSandbox           *sandbox;
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
                                VP_SANDBOX_DEFAULT_JOBS,
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

  vp_connection_options_resolve (&self->options);

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
apply_dark_style (void)
{
  const char *dark = g_getenv ("VOXPARSE_DARK");
  const char *theme = g_getenv ("GTK_THEME");
  gboolean prefer_dark;

  /* Following the desktop's preference (the Settings portal) comes later;
   * for now VOXPARSE_DARK=1 or GTK_THEME=Adwaita:dark. */
  prefer_dark = (dark != NULL && g_strcmp0 (dark, "0") != 0 && *dark != '\0') ||
                (theme != NULL && g_str_has_suffix (theme, ":dark"));

  if (prefer_dark)
    g_object_set (gtk_settings_get_default (),
                  "gtk-application-prefer-dark-theme", TRUE,
                  NULL);
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

  gtk_show_about_dialog (window,
                         "program-name", _("VoxParse Call Browser"),
                         "logo-icon-name", "call-start-symbolic",
                         "version", PACKAGE_VERSION,
                         "comments", _("Read the transcripts and analyses of your calls"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", authors,
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "refresh", refresh_activated },
  { "quit", quit_activated },
  { "about", about_activated },
};

static void
vp_application_startup (GApplication *app)
{
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.refresh", { "F5", "<Control>r", NULL } },
    { "app.quit", { "<Control>q", NULL } },
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

  g_set_application_name (_("VoxParse Call Browser"));
  gtk_window_set_default_icon_name ("call-start-symbolic");

  load_style ();
  apply_dark_style ();
}

static void
vp_application_activate (GApplication *app)
{
  VpApplication *self = VP_APPLICATION (app);
  GtkWindow *window;
  VpWindow *vp_window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  vp_window = vp_window_new (GTK_APPLICATION (app));

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
  else if (self->options.api_key != NULL)
    {
      g_autoptr(VpClient) client = NULL;

      client = vp_client_new (self->options.base_url, self->options.api_key);
      vp_window_set_client (vp_window, client, NULL);
    }
  else
    vp_window_show_welcome (vp_window, self->options.base_url);

  gtk_window_present (GTK_WINDOW (vp_window));
}

static void
vp_application_dispose (GObject *object)
{
  VpApplication *self = (VpApplication *)object;

  g_clear_object (&self->sandbox);
  vp_connection_options_clear (&self->options);

  G_OBJECT_CLASS (vp_application_parent_class)->dispose (object);
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
}

static void
vp_application_init (VpApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Browse VoxParse calls: transcripts, summaries, compliance and money."));
}
