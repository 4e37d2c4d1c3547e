/* vp-list-footer.c: the end of the job list (loading, error, the end)
 *
 * Follows the list's "loading", "error" and "has-more" properties: a
 * spinner while the next page loads, the error with a Retry button when it
 * failed, a "Load More" button when more can be had, and a quiet note at
 * the end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-list-footer"

#include "config.h"

#include <glib/gi18n.h>

#include "vp-format.h"
#include "vp-list-footer.h"

struct _VpListFooter
{
  GtkWidget   parent_instance;

  VpJobList  *job_list;
  GSignalGroup *signals;

  GtkStack   *stack;
  GtkSpinner *spinner;
  GtkLabel   *error_label;
  GtkLabel   *end_label;
};

G_DEFINE_FINAL_TYPE (VpListFooter, vp_list_footer, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_JOB_LIST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
vp_list_footer_update (VpListFooter *self)
{
  const GError *error;
  guint n_items;

  g_assert (VP_IS_LIST_FOOTER (self));

  if (self->job_list == NULL)
    {
      gtk_spinner_stop (self->spinner);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  error = vp_job_list_get_error (self->job_list);
  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->job_list));

  if (vp_job_list_is_loading (self->job_list))
    {
      gtk_spinner_start (self->spinner);
      gtk_stack_set_visible_child_name (self->stack, "loading");
      return;
    }

  gtk_spinner_stop (self->spinner);

  if (error != NULL)
    {
      g_autofree char *text = vp_describe_error (error);

      gtk_label_set_text (self->error_label, text);
      gtk_stack_set_visible_child_name (self->stack, "error");
    }
  else if (vp_job_list_has_more (self->job_list))
    {
      gtk_stack_set_visible_child_name (self->stack, "more");
    }
  else if (n_items == 0)
    {
      gtk_label_set_text (self->end_label, _("No calls yet"));
      gtk_stack_set_visible_child_name (self->stack, "end");
    }
  else
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u call, all shown",
                                           "%u calls, all shown",
                                           n_items),
                              n_items);
      gtk_label_set_text (self->end_label, text);
      gtk_stack_set_visible_child_name (self->stack, "end");
    }
}

static void
on_job_list_changed_cb (VpListFooter *self)
{
  g_assert (VP_IS_LIST_FOOTER (self));

  vp_list_footer_update (self);
}

static void
on_retry_clicked_cb (VpListFooter *self,
                     GtkButton    *button)
{
  g_assert (VP_IS_LIST_FOOTER (self));

  if (self->job_list != NULL)
    vp_job_list_load_more (self->job_list);
}

VpJobList *
vp_list_footer_get_job_list (VpListFooter *self)
{
  g_return_val_if_fail (VP_IS_LIST_FOOTER (self), NULL);

  return self->job_list;
}

void
vp_list_footer_set_job_list (VpListFooter *self,
                             VpJobList    *job_list)
{
  g_return_if_fail (VP_IS_LIST_FOOTER (self));
  g_return_if_fail (job_list == NULL || VP_IS_JOB_LIST (job_list));

  if (!g_set_object (&self->job_list, job_list))
    return;

  g_signal_group_set_target (self->signals, job_list);
  vp_list_footer_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB_LIST]);
}

const char *
vp_list_footer_get_state (VpListFooter *self)
{
  g_return_val_if_fail (VP_IS_LIST_FOOTER (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

static void
vp_list_footer_dispose (GObject *object)
{
  VpListFooter *self = (VpListFooter *)object;

  if (self->signals != NULL)
    g_signal_group_set_target (self->signals, NULL);
  g_clear_object (&self->signals);
  g_clear_object (&self->job_list);

  gtk_widget_dispose_template (GTK_WIDGET (self), VP_TYPE_LIST_FOOTER);
  vp_widget_unparent_children (GTK_WIDGET (self));

  G_OBJECT_CLASS (vp_list_footer_parent_class)->dispose (object);
}

static void
vp_list_footer_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  VpListFooter *self = VP_LIST_FOOTER (object);

  switch (prop_id)
    {
    case PROP_JOB_LIST:
      g_value_set_object (value, self->job_list);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_list_footer_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  VpListFooter *self = VP_LIST_FOOTER (object);

  switch (prop_id)
    {
    case PROP_JOB_LIST:
      vp_list_footer_set_job_list (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_list_footer_class_init (VpListFooterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vp_list_footer_dispose;
  object_class->get_property = vp_list_footer_get_property;
  object_class->set_property = vp_list_footer_set_property;

  properties[PROP_JOB_LIST] =
    g_param_spec_object ("job-list", NULL, NULL,
                         VP_TYPE_JOB_LIST,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vplistfooter");
  gtk_widget_class_set_template_from_resource (widget_class, "/com/voxparse/CallBrowser/vp-list-footer.ui");
  gtk_widget_class_bind_template_child (widget_class, VpListFooter, stack);
  gtk_widget_class_bind_template_child (widget_class, VpListFooter, spinner);
  gtk_widget_class_bind_template_child (widget_class, VpListFooter, error_label);
  gtk_widget_class_bind_template_child (widget_class, VpListFooter, end_label);
  gtk_widget_class_bind_template_callback (widget_class, on_retry_clicked_cb);
}

static void
vp_list_footer_init (VpListFooter *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->signals = g_signal_group_new (VP_TYPE_JOB_LIST);
  g_signal_group_connect_object (self->signals, "notify::loading",
                                 G_CALLBACK (on_job_list_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->signals, "notify::error",
                                 G_CALLBACK (on_job_list_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->signals, "notify::has-more",
                                 G_CALLBACK (on_job_list_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->signals, "items-changed",
                                 G_CALLBACK (on_job_list_changed_cb), self, G_CONNECT_SWAPPED);

  vp_list_footer_update (self);
}
