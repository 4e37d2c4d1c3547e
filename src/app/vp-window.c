/* vp-window.c: the main window of VoxParse Call Browser
 *
 * A header bar, then a stack: the welcome page (no key yet) or the browser,
 * a GtkPaned with the job list on the left (a GtkListView over a
 * GtkSingleSelection over the core's VpJobList, ending in a VpListFooter)
 * and the VpJobView on the right.  Above both, a banner explains errors that
 * concern the whole connection (a rejected key, an unreachable server) and
 * offers the way out.  The window binds core objects together; it holds no
 * network or parsing code of its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-window"

#include "config.h"

#include <glib/gi18n.h>

#include "vp-application.h"
#include "vp-error.h"
#include "vp-format.h"
#include "vp-job-list.h"
#include "vp-job-row.h"
#include "vp-job-view-private.h"
#include "vp-list-footer.h"
#include "vp-welcome-page.h"
#include "vp-window-private.h"

#define PAGE_SIZE 50

typedef enum {
  BANNER_NONE,
  BANNER_UNAUTHORIZED,
  BANNER_RETRY,
} BannerKind;

struct _VpWindow
{
  GtkApplicationWindow  parent_instance;

  VpClient             *client;
  VpJobList            *job_list;
  GtkSingleSelection   *selection;
  char                 *reselect_id;
  BannerKind            banner_kind;

  GtkLabel             *subtitle_label;
  GtkButton            *refresh_button;
  GtkStack             *main_stack;
  VpWelcomePage        *welcome_page;
  GtkRevealer          *banner_revealer;
  GtkImage             *banner_image;
  GtkLabel             *banner_label;
  GtkButton            *banner_button;
  GtkBox               *banner_key_box;
  GtkPasswordEntry     *banner_key_entry;
  GtkScrolledWindow    *list_scroller;
  GtkListView          *list_view;
  VpListFooter         *list_footer;
  VpJobView            *job_view;
};

G_DEFINE_FINAL_TYPE (VpWindow, vp_window, GTK_TYPE_APPLICATION_WINDOW)

static void
vp_window_hide_banner (VpWindow *self)
{
  g_assert (VP_IS_WINDOW (self));

  self->banner_kind = BANNER_NONE;
  gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->banner_key_box), FALSE);
}

/* Errors about the connection as a whole go to the banner; the list and the
 * loaded call stay as they are. */
static void
vp_window_show_banner (VpWindow     *self,
                       const GError *error)
{
  g_autofree char *text = NULL;

  g_assert (VP_IS_WINDOW (self));
  g_assert (error != NULL);

  text = vp_describe_error (error);
  gtk_label_set_text (self->banner_label, text);

  if (g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_UNAUTHORIZED))
    {
      self->banner_kind = BANNER_UNAUTHORIZED;
      gtk_image_set_from_icon_name (self->banner_image, "dialog-password-symbolic");
      gtk_button_set_label (self->banner_button, _("_Enter Another Key"));
    }
  else
    {
      self->banner_kind = BANNER_RETRY;
      if (g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_CANNOT_CONNECT))
        gtk_image_set_from_icon_name (self->banner_image, "network-offline-symbolic");
      else
        gtk_image_set_from_icon_name (self->banner_image, "dialog-warning-symbolic");
      gtk_button_set_label (self->banner_button, _("_Retry"));
      gtk_widget_set_visible (GTK_WIDGET (self->banner_key_box), FALSE);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->banner_button), TRUE);
  gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
}

static gboolean
is_connection_error (const GError *error)
{
  return g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_UNAUTHORIZED) ||
         g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_CANNOT_CONNECT) ||
         g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_RATE_LIMITED) ||
         g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_URL);
}

static void
vp_window_maybe_load_more (VpWindow *self)
{
  GtkAdjustment *adjustment;
  double value, upper, page_size;

  g_assert (VP_IS_WINDOW (self));

  if (self->job_list == NULL ||
      !vp_job_list_has_more (self->job_list) ||
      vp_job_list_is_loading (self->job_list) ||
      vp_job_list_get_error (self->job_list) != NULL)
    return;

  adjustment = gtk_scrolled_window_get_vadjustment (self->list_scroller);
  value = gtk_adjustment_get_value (adjustment);
  upper = gtk_adjustment_get_upper (adjustment);
  page_size = gtk_adjustment_get_page_size (adjustment);

  /* Within a screenful of the end (or the list does not fill the view). */
  if (page_size > 0 && upper - (value + page_size) <= page_size)
    vp_job_list_load_more (self->job_list);
}

static void
on_vadjustment_changed_cb (VpWindow *self)
{
  g_assert (VP_IS_WINDOW (self));

  vp_window_maybe_load_more (self);
}

static void
vp_window_restore_selection (VpWindow *self)
{
  guint position;

  g_assert (VP_IS_WINDOW (self));

  if (self->reselect_id == NULL || self->job_list == NULL)
    return;

  if (vp_job_list_find (self->job_list, self->reselect_id, &position) != NULL &&
      gtk_single_selection_get_selected (self->selection) != position)
    gtk_single_selection_set_selected (self->selection, position);
}

static void
on_job_list_loading_cb (VpWindow *self)
{
  g_assert (VP_IS_WINDOW (self));

  if (vp_job_list_is_loading (self->job_list))
    return;

  vp_window_restore_selection (self);
  g_clear_pointer (&self->reselect_id, g_free);

  /* The page may not fill the view yet. */
  vp_window_maybe_load_more (self);
}

static void
on_job_list_error_cb (VpWindow *self)
{
  const GError *error;

  g_assert (VP_IS_WINDOW (self));

  error = vp_job_list_get_error (self->job_list);

  if (error != NULL && is_connection_error (error))
    vp_window_show_banner (self, error);
  else if (error == NULL && self->banner_kind != BANNER_NONE)
    vp_window_hide_banner (self);
}

static void
on_job_view_load_failed_cb (VpWindow     *self,
                            const GError *error,
                            VpJobView    *view)
{
  g_assert (VP_IS_WINDOW (self));

  if (is_connection_error (error))
    vp_window_show_banner (self, error);
}

static void
on_selected_item_cb (VpWindow *self)
{
  VpJob *job;

  g_assert (VP_IS_WINDOW (self));

  job = gtk_single_selection_get_selected_item (self->selection);
  vp_job_view_set_job (self->job_view, job);
}

static void
vp_window_retry (VpWindow *self)
{
  g_assert (VP_IS_WINDOW (self));

  if (self->job_list == NULL)
    return;

  vp_window_hide_banner (self);

  if (g_list_model_get_n_items (G_LIST_MODEL (self->job_list)) == 0)
    vp_job_list_load_more (self->job_list);
  else
    vp_window_refresh (self);

  if (g_strcmp0 (_vp_job_view_get_state (self->job_view), "error") == 0)
    vp_job_view_reload (self->job_view);
}

void
_vp_window_use_api_key (VpWindow   *self,
                        const char *api_key)
{
  g_return_if_fail (VP_IS_WINDOW (self));

  if (self->client == NULL || api_key == NULL || *api_key == '\0')
    return;

  vp_client_set_api_key (self->client, api_key);
  vp_window_retry (self);
}

static void
on_banner_button_clicked_cb (VpWindow  *self,
                             GtkButton *button)
{
  g_assert (VP_IS_WINDOW (self));

  if (self->banner_kind == BANNER_UNAUTHORIZED)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->banner_button), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->banner_key_box), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->banner_key_entry));
    }
  else
    vp_window_retry (self);
}

static void
on_banner_key_activate_cb (VpWindow *self)
{
  g_autofree char *key = NULL;

  g_assert (VP_IS_WINDOW (self));

  key = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->banner_key_entry)));
  gtk_editable_set_text (GTK_EDITABLE (self->banner_key_entry), "");
  _vp_window_use_api_key (self, key);
}

static void
on_welcome_explore_cb (VpWindow      *self,
                       VpWelcomePage *page)
{
  GApplication *app = g_application_get_default ();
  g_autoptr(VpClient) client = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (VP_IS_WINDOW (self));

  if (!VP_IS_APPLICATION (app))
    return;

  client = vp_application_dup_demo_client (VP_APPLICATION (app), &error);
  if (client == NULL)
    {
      GtkWidget *dialog;

      dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                       GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                       GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE,
                                       _("The sample calls could not be started"));
      gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", error->message);
      g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  vp_window_set_client (self, client, _("Sample Calls"));
}

static void
on_welcome_connect_cb (VpWindow      *self,
                       const char    *base_url,
                       const char    *api_key,
                       VpWelcomePage *page)
{
  g_autoptr(VpClient) client = NULL;

  g_assert (VP_IS_WINDOW (self));

  client = vp_client_new (base_url, api_key);
  vp_window_set_client (self, client, NULL);
}

static void
show_pane_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  VpWindow *self = VP_WINDOW (widget);
  int index = g_variant_get_int32 (param);

  if (index >= 0 && index < VP_JOB_VIEW_N_PANES)
    vp_job_view_show_pane (self->job_view, index);
}

static void
next_pane_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  vp_job_view_cycle_pane (VP_WINDOW (widget)->job_view, 1);
}

static void
previous_pane_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  vp_job_view_cycle_pane (VP_WINDOW (widget)->job_view, -1);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  vp_window_refresh (VP_WINDOW (widget));
}

VpWindow *
vp_window_new (GtkApplication *application)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (VP_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

VpClient *
vp_window_get_client (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  return self->client;
}

void
vp_window_set_client (VpWindow   *self,
                      VpClient   *client,
                      const char *subtitle)
{
  g_autoptr(GUri) uri = NULL;

  g_return_if_fail (VP_IS_WINDOW (self));
  g_return_if_fail (VP_IS_CLIENT (client));

  vp_window_hide_banner (self);

  if (g_set_object (&self->client, client))
    {
      vp_job_view_set_client (self->job_view, client);

      if (self->job_list == NULL)
        {
          self->job_list = vp_job_list_new (client, PAGE_SIZE);
          g_signal_connect_object (self->job_list, "notify::loading",
                                   G_CALLBACK (on_job_list_loading_cb), self, G_CONNECT_SWAPPED);
          g_signal_connect_object (self->job_list, "notify::error",
                                   G_CALLBACK (on_job_list_error_cb), self, G_CONNECT_SWAPPED);
          gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->job_list));
          vp_list_footer_set_job_list (self->list_footer, self->job_list);
        }
      else
        vp_job_list_set_client (self->job_list, client);
    }

  if (subtitle == NULL)
    {
      uri = g_uri_parse (vp_client_get_base_url (client), G_URI_FLAGS_NONE, NULL);
      subtitle = (uri != NULL && g_uri_get_host (uri) != NULL)
        ? g_uri_get_host (uri) : vp_client_get_base_url (client);
    }
  gtk_label_set_text (self->subtitle_label, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), TRUE);

  gtk_widget_set_sensitive (GTK_WIDGET (self->refresh_button), TRUE);
  gtk_stack_set_visible_child_name (self->main_stack, "browser");

  vp_job_list_load_more (self->job_list);
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

void
vp_window_show_welcome (VpWindow   *self,
                        const char *base_url)
{
  g_return_if_fail (VP_IS_WINDOW (self));

  vp_welcome_page_set_base_url (self->welcome_page,
                                base_url ? base_url : VP_CLIENT_DEFAULT_BASE_URL);
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->refresh_button), FALSE);
  gtk_stack_set_visible_child_name (self->main_stack, "welcome");
}

void
vp_window_refresh (VpWindow *self)
{
  VpJob *selected;

  g_return_if_fail (VP_IS_WINDOW (self));

  if (self->client == NULL || self->job_list == NULL)
    return;

  selected = gtk_single_selection_get_selected_item (self->selection);
  g_free (self->reselect_id);
  self->reselect_id = selected ? g_strdup (vp_job_get_id (selected)) : NULL;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->job_list)) == 0)
    vp_job_list_load_more (self->job_list);
  else
    vp_job_list_refresh (self->job_list);

  if (g_strcmp0 (_vp_job_view_get_state (self->job_view), "error") == 0)
    vp_job_view_reload (self->job_view);
}

GtkListView *
_vp_window_get_list_view (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  return self->list_view;
}

GtkSingleSelection *
_vp_window_get_selection (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  return self->selection;
}

VpJobList *
_vp_window_get_job_list (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  return self->job_list;
}

GtkAdjustment *
_vp_window_get_vadjustment (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  return gtk_scrolled_window_get_vadjustment (self->list_scroller);
}

const char *
_vp_window_get_page (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->main_stack);
}

gboolean
_vp_window_get_banner_revealed (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), FALSE);

  return gtk_revealer_get_reveal_child (self->banner_revealer);
}

const char *
_vp_window_get_banner_text (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  return gtk_label_get_text (self->banner_label);
}

const char *
_vp_window_get_footer_state (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  return vp_list_footer_get_state (self->list_footer);
}

const char *
_vp_window_get_view_state (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  return _vp_job_view_get_state (self->job_view);
}

const char *
_vp_window_get_shown_job_id (VpWindow *self)
{
  VpJob *job;

  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  job = vp_job_view_get_job (self->job_view);

  return job ? vp_job_get_id (job) : NULL;
}

char *
_vp_window_dup_field_text (VpWindow   *self,
                           const char *pane,
                           const char *field)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), NULL);

  return _vp_job_view_dup_field_text (self->job_view, pane, field);
}

gboolean
_vp_window_is_view_busy (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), FALSE);

  return _vp_job_view_is_busy (self->job_view);
}

guint
_vp_window_get_pane (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), 0);

  return vp_job_view_get_pane (self->job_view);
}

guint
_vp_window_get_poll_delay (VpWindow *self)
{
  g_return_val_if_fail (VP_IS_WINDOW (self), 0);

  return _vp_job_view_get_poll_delay (self->job_view);
}

gboolean
_vp_window_select_job (VpWindow   *self,
                       const char *job_id)
{
  guint position;

  g_return_val_if_fail (VP_IS_WINDOW (self), FALSE);

  if (self->job_list == NULL ||
      vp_job_list_find (self->job_list, job_id, &position) == NULL)
    return FALSE;

  gtk_single_selection_set_selected (self->selection, position);
  return TRUE;
}

static void
vp_window_dispose (GObject *object)
{
  VpWindow *self = (VpWindow *)object;

  g_clear_pointer (&self->reselect_id, g_free);

  /* No gtk_widget_dispose_template() here: in GTK 4.8 it unparents the
   * window's child, which GtkWindow's own dispose then unparents again. */
  g_clear_object (&self->selection);
  g_clear_object (&self->job_list);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (vp_window_parent_class)->dispose (object);
}

static void
vp_window_class_init (VpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vp_window_dispose;

  g_type_ensure (VP_TYPE_JOB_ROW);
  g_type_ensure (VP_TYPE_JOB_VIEW);
  g_type_ensure (VP_TYPE_LIST_FOOTER);
  g_type_ensure (VP_TYPE_WELCOME_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/voxparse/CallBrowser/vp-window.ui");
  gtk_widget_class_bind_template_child (widget_class, VpWindow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, banner_image);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, banner_button);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, banner_key_box);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, banner_key_entry);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, list_scroller);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, list_footer);
  gtk_widget_class_bind_template_child (widget_class, VpWindow, job_view);
  gtk_widget_class_bind_template_callback (widget_class, on_banner_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_banner_key_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_welcome_explore_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_welcome_connect_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_job_view_load_failed_cb);

  gtk_widget_class_install_action (widget_class, "win.show-pane", "i", show_pane_action);
  gtk_widget_class_install_action (widget_class, "win.next-pane", NULL, next_pane_action);
  gtk_widget_class_install_action (widget_class, "win.previous-pane", NULL, previous_pane_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);

  /* Also as widget shortcuts, so they work in a window without an
   * application (the tests) and before any text widget eats them. */
  for (guint i = 0; i < VP_JOB_VIEW_N_PANES; i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "win.show-pane", "i", (int) i);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK,
                                       "win.next-pane", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK,
                                       "win.previous-pane", NULL);
}

static void
vp_window_init (VpWindow *self)
{
  GtkAdjustment *adjustment;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  gtk_single_selection_set_can_unselect (self->selection, FALSE);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (on_selected_item_cb), self, G_CONNECT_SWAPPED);

  adjustment = gtk_scrolled_window_get_vadjustment (self->list_scroller);
  g_signal_connect_object (adjustment, "value-changed",
                           G_CALLBACK (on_vadjustment_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "changed",
                           G_CALLBACK (on_vadjustment_changed_cb), self, G_CONNECT_SWAPPED);
}
