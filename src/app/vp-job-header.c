/* vp-job-header.c: the metadata of the job on the right side
 *
 * The id (selectable, with a button that copies it), the status as an icon
 * and a word, type, model, duration, cost, and the created and completed
 * times in local time.  Follows the job's notifications.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-job-header"

#include "config.h"

#include <glib/gi18n.h>

#include "vp-format.h"
#include "vp-job-header.h"

struct _VpJobHeader
{
  GtkWidget  parent_instance;

  VpJob     *job;
  gulong     notify_id;
  char      *status_class;

  GtkLabel  *id_label;
  GtkButton *copy_button;
  GtkBox    *status_box;
  GtkImage  *status_image;
  GtkLabel  *status_label;
  GtkLabel  *type_label;
  GtkLabel  *model_label;
  GtkLabel  *duration_label;
  GtkLabel  *cost_label;
  GtkLabel  *created_label;
  GtkLabel  *completed_label;
};

G_DEFINE_FINAL_TYPE (VpJobHeader, vp_job_header, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_JOB,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
vp_job_header_update (VpJobHeader *self)
{
  g_autofree char *duration = NULL;
  g_autofree char *cost = NULL;
  g_autofree char *created = NULL;
  g_autofree char *completed = NULL;
  VpJobStatus status;

  g_assert (VP_IS_JOB_HEADER (self));

  if (self->status_class != NULL)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_box), self->status_class);
      g_clear_pointer (&self->status_class, g_free);
    }

  if (self->job == NULL)
    return;

  status = vp_job_get_status (self->job);
  self->status_class = g_strdup (vp_status_get_css_class (status));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_box), self->status_class);
  gtk_image_set_from_icon_name (self->status_image, vp_status_get_icon_name (status));
  gtk_label_set_text (self->status_label, vp_status_get_label (status));

  gtk_label_set_text (self->id_label, vp_job_get_id (self->job));

  duration = vp_format_duration (vp_job_get_duration_seconds (self->job));
  cost = vp_format_cost_cents (vp_job_get_cost_cents (self->job));
  created = vp_format_date_long (vp_job_get_created_at (self->job));
  completed = vp_format_date_long (vp_job_get_completed_at (self->job));

  vp_label_set_value (self->type_label, vp_job_get_type_name (self->job));
  vp_label_set_value (self->model_label, vp_job_get_model (self->job));
  vp_label_set_value (self->duration_label, duration);
  vp_label_set_value (self->cost_label, cost);
  vp_label_set_value (self->created_label, created);

  if (completed == NULL && !vp_job_is_finished (self->job))
    {
      gtk_label_set_text (self->completed_label, _("Not yet"));
      gtk_widget_add_css_class (GTK_WIDGET (self->completed_label), "dim-label");
    }
  else
    vp_label_set_value (self->completed_label, completed);
}

static void
on_job_notify_cb (VpJobHeader *self)
{
  g_assert (VP_IS_JOB_HEADER (self));

  vp_job_header_update (self);
}

static void
on_copy_clicked_cb (VpJobHeader *self,
                    GtkButton   *button)
{
  GdkClipboard *clipboard;

  g_assert (VP_IS_JOB_HEADER (self));

  if (self->job == NULL)
    return;

  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));
  gdk_clipboard_set_text (clipboard, vp_job_get_id (self->job));

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->copy_button), _("Copied"));
}

VpJob *
vp_job_header_get_job (VpJobHeader *self)
{
  g_return_val_if_fail (VP_IS_JOB_HEADER (self), NULL);

  return self->job;
}

void
vp_job_header_set_job (VpJobHeader *self,
                       VpJob       *job)
{
  g_return_if_fail (VP_IS_JOB_HEADER (self));
  g_return_if_fail (job == NULL || VP_IS_JOB (job));

  if (self->job == job)
    return;

  if (self->job != NULL)
    g_clear_signal_handler (&self->notify_id, self->job);

  g_set_object (&self->job, job);

  if (job != NULL)
    self->notify_id = g_signal_connect_object (job, "notify",
                                               G_CALLBACK (on_job_notify_cb),
                                               self, G_CONNECT_SWAPPED);

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->copy_button), _("Copy Call ID"));
  vp_job_header_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB]);
}

static void
vp_job_header_dispose (GObject *object)
{
  VpJobHeader *self = (VpJobHeader *)object;

  if (self->job != NULL)
    g_clear_signal_handler (&self->notify_id, self->job);
  g_clear_object (&self->job);
  g_clear_pointer (&self->status_class, g_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), VP_TYPE_JOB_HEADER);
  vp_widget_unparent_children (GTK_WIDGET (self));

  G_OBJECT_CLASS (vp_job_header_parent_class)->dispose (object);
}

static void
vp_job_header_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  VpJobHeader *self = VP_JOB_HEADER (object);

  switch (prop_id)
    {
    case PROP_JOB:
      g_value_set_object (value, self->job);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_job_header_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  VpJobHeader *self = VP_JOB_HEADER (object);

  switch (prop_id)
    {
    case PROP_JOB:
      vp_job_header_set_job (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_job_header_class_init (VpJobHeaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vp_job_header_dispose;
  object_class->get_property = vp_job_header_get_property;
  object_class->set_property = vp_job_header_set_property;

  properties[PROP_JOB] =
    g_param_spec_object ("job", NULL, NULL,
                         VP_TYPE_JOB,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "vpjobheader");
  gtk_widget_class_set_template_from_resource (widget_class, "/com/voxparse/CallBrowser/vp-job-header.ui");
  gtk_widget_class_bind_template_child (widget_class, VpJobHeader, id_label);
  gtk_widget_class_bind_template_child (widget_class, VpJobHeader, copy_button);
  gtk_widget_class_bind_template_child (widget_class, VpJobHeader, status_box);
  gtk_widget_class_bind_template_child (widget_class, VpJobHeader, status_image);
  gtk_widget_class_bind_template_child (widget_class, VpJobHeader, status_label);
  gtk_widget_class_bind_template_child (widget_class, VpJobHeader, type_label);
  gtk_widget_class_bind_template_child (widget_class, VpJobHeader, model_label);
  gtk_widget_class_bind_template_child (widget_class, VpJobHeader, duration_label);
  gtk_widget_class_bind_template_child (widget_class, VpJobHeader, cost_label);
  gtk_widget_class_bind_template_child (widget_class, VpJobHeader, created_label);
  gtk_widget_class_bind_template_child (widget_class, VpJobHeader, completed_label);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_clicked_cb);
}

static void
vp_job_header_init (VpJobHeader *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
