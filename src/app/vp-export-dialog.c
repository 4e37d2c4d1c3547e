/* vp-export-dialog.c: exporting the selected calls from the window
 *
 * A small modal window: what is selected and what of it can be exported,
 * the format (CSV or JSON) and whether to mask personal numbers (its
 * default is the "mask-pii" setting); then the native file chooser, then
 * the core's VpExport with a progress bar ("Fetched 12 of 40 · written
 * 10") and a Cancel button; at the end what was written and which calls
 * were not, with the reason.  Closing it, or the window it belongs to,
 * cancels the export: VpExport leaves whatever was at the path untouched.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-export-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "vp-export-dialog.h"
#include "vp-format.h"

struct _VpExportDialog
{
  GtkWindow             parent_instance;

  VpClient             *client;
  GPtrArray            *jobs;
  VpExport             *export;
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;
  const char           *state;

  GtkButton            *cancel_button;
  GtkButton            *export_button;
  GtkStack             *stack;
  GtkLabel             *selection_label;
  GtkCheckButton       *csv_button;
  GtkCheckButton       *json_button;
  GtkCheckButton       *mask_button;
  GtkLabel             *progress_title;
  GtkProgressBar       *progress_bar;
  GtkLabel             *progress_label;
  GtkImage             *done_image;
  GtkLabel             *done_label;
  GtkLabel             *skipped_title;
  GtkScrolledWindow    *skipped_scroller;
  GtkLabel             *skipped_label;
};

G_DEFINE_FINAL_TYPE (VpExportDialog, vp_export_dialog, GTK_TYPE_WINDOW)

static void
vp_export_dialog_set_state (VpExportDialog *self,
                            const char     *state)
{
  g_assert (VP_IS_EXPORT_DIALOG (self));

  self->state = state;

  if (g_str_equal (state, "error"))
    gtk_stack_set_visible_child_name (self->stack, "done");
  else
    gtk_stack_set_visible_child_name (self->stack, state);

  if (g_str_equal (state, "options"))
    {
      gtk_button_set_label (self->cancel_button, _("_Cancel"));
      gtk_widget_set_visible (GTK_WIDGET (self->export_button), TRUE);
    }
  else if (g_str_equal (state, "progress"))
    {
      gtk_button_set_label (self->cancel_button, _("_Cancel"));
      gtk_widget_set_visible (GTK_WIDGET (self->export_button), FALSE);
    }
  else
    {
      gtk_button_set_label (self->cancel_button, _("_Close"));
      gtk_widget_set_visible (GTK_WIDGET (self->export_button), FALSE);
    }
}

static void
vp_export_dialog_update_progress (VpExportDialog *self)
{
  g_autofree char *text = NULL;
  guint total, fetched, written;

  g_assert (VP_IS_EXPORT_DIALOG (self));

  if (self->export == NULL)
    return;

  total = vp_export_get_n_total (self->export);
  fetched = vp_export_get_n_fetched (self->export);
  written = vp_export_get_n_written (self->export);

  /* Translators: export progress: results fetched of all, rows written */
  text = g_strdup_printf (_("Fetched %u of %u · written %u"), fetched, total, written);
  gtk_label_set_text (self->progress_label, text);
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 total > 0 ? (fetched + written) / (2.0 * total) : 0.0);
}

static void
on_export_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(VpExportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = NULL;
  const VpExportSkipped *skipped;
  guint n_skipped = 0;

  g_assert (VP_IS_EXPORT_DIALOG (self));

  if (!vp_export_run_finish (VP_EXPORT (object), result, &error))
    {
      g_autofree char *text = NULL;

      /* Cancelled because the dialog went away: nothing to say. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          gtk_widget_in_destruction (GTK_WIDGET (self)))
        return;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        text = g_strdup (_("The export was cancelled. Nothing was written."));
      else
        {
          g_autofree char *reason = vp_describe_error (error);

          /* Translators: %s: why the export failed */
          text = g_strdup_printf (_("The calls could not be exported. %s"), reason);
        }

      gtk_image_set_from_icon_name (self->done_image, "dialog-error-symbolic");
      gtk_label_set_text (self->done_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->skipped_title), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->skipped_scroller), FALSE);
      vp_export_dialog_set_state (self, "error");
      return;
    }

  basename = g_file_get_basename (vp_export_get_file (self->export));
  {
    guint n = vp_export_get_n_exported (self->export);
    g_autofree char *text = NULL;

    /* Translators: %u calls, %s the file's name */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Exported %u call to %s",
                                         "Exported %u calls to %s", n),
                            n, basename);
    gtk_label_set_text (self->done_label, text);
    gtk_image_set_from_icon_name (self->done_image, "emblem-ok-symbolic");
  }

  skipped = vp_export_get_skipped (self->export, &n_skipped);
  if (n_skipped > 0)
    {
      g_autoptr(GString) lines = g_string_new (NULL);
      g_autofree char *title = NULL;

      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u call could not be exported:",
                                            "%u calls could not be exported:", n_skipped),
                               n_skipped);
      gtk_label_set_text (self->skipped_title, title);

      for (guint i = 0; i < n_skipped; i++)
        {
          VpJob *job = NULL;

          for (guint j = 0; j < self->jobs->len && job == NULL; j++)
            if (g_strcmp0 (vp_job_get_id (g_ptr_array_index (self->jobs, j)), skipped[i].job_id) == 0)
              job = g_ptr_array_index (self->jobs, j);

          if (lines->len > 0)
            g_string_append_c (lines, '\n');

          if (job != NULL && vp_job_get_created_at (job) != NULL)
            {
              g_autofree char *created = vp_format_date_short (vp_job_get_created_at (job));

              g_string_append_printf (lines, "• %s (%s): %s", created, skipped[i].job_id, skipped[i].reason);
            }
          else
            g_string_append_printf (lines, "• %s: %s", skipped[i].job_id, skipped[i].reason);
        }

      gtk_label_set_text (self->skipped_label, lines->str);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->skipped_title), n_skipped > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->skipped_scroller), n_skipped > 0);

  vp_export_dialog_set_state (self, "done");
}

void
vp_export_dialog_start (VpExportDialog *self,
                        GFile          *file,
                        VpExportFormat  format,
                        gboolean        mask_pii)
{
  g_autofree char *basename = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (VP_IS_EXPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (self->export == NULL);

  gtk_check_button_set_active (format == VP_EXPORT_FORMAT_JSON ? self->json_button : self->csv_button, TRUE);
  gtk_check_button_set_active (self->mask_button, mask_pii);

  self->export = vp_export_new (self->client, format, file);
  vp_export_set_mask_pii (self->export, mask_pii);
  for (guint i = 0; i < self->jobs->len; i++)
    vp_export_add_job (self->export, g_ptr_array_index (self->jobs, i));

  g_signal_connect_object (self->export, "notify::n-fetched",
                           G_CALLBACK (vp_export_dialog_update_progress), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->export, "notify::n-written",
                           G_CALLBACK (vp_export_dialog_update_progress), self, G_CONNECT_SWAPPED);

  basename = g_file_get_basename (file);
  /* Translators: %s: the file being written */
  title = g_strdup_printf (_("Exporting to %s"), basename);
  gtk_label_set_text (self->progress_title, title);
  vp_export_dialog_update_progress (self);
  vp_export_dialog_set_state (self, "progress");

  vp_export_run_async (self->export, self->cancellable, on_export_done_cb, g_object_ref (self));
}

static void
on_chooser_response_cb (VpExportDialog       *self,
                        int                   response,
                        GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  g_assert (VP_IS_EXPORT_DIALOG (self));

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  g_clear_object (&self->chooser);

  if (file != NULL)
    vp_export_dialog_start (self, file,
                            gtk_check_button_get_active (self->json_button)
                              ? VP_EXPORT_FORMAT_JSON : VP_EXPORT_FORMAT_CSV,
                            gtk_check_button_get_active (self->mask_button));
}

static void
on_export_clicked_cb (VpExportDialog *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *day = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *name = NULL;
  gboolean json;

  g_assert (VP_IS_EXPORT_DIALOG (self));

  if (self->chooser != NULL)
    return;

  json = gtk_check_button_get_active (self->json_button);
  name = g_strdup_printf ("voxparse-calls-%s.%s", day, json ? "json" : "csv");

  self->chooser = gtk_file_chooser_native_new (_("Export Calls"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_object (self->chooser, "response",
                           G_CALLBACK (on_chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_cancel_clicked_cb (VpExportDialog *self)
{
  g_assert (VP_IS_EXPORT_DIALOG (self));

  if (g_strcmp0 (self->state, "progress") == 0)
    g_cancellable_cancel (self->cancellable);
  else
    gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
read_mask_setting (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  if (source == NULL)
    return FALSE;

  schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "mask-pii"))
    return FALSE;

  settings = g_settings_new (APP_ID);

  return g_settings_get_boolean (settings, "mask-pii");
}

VpExportDialog *
vp_export_dialog_new (GtkWindow *parent,
                      VpClient  *client,
                      GPtrArray *jobs)
{
  VpExportDialog *self;
  g_autofree char *text = NULL;
  guint n_completed = 0;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (VP_IS_CLIENT (client), NULL);
  g_return_val_if_fail (jobs != NULL, NULL);

  self = g_object_new (VP_TYPE_EXPORT_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->client = g_object_ref (client);
  self->jobs = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < jobs->len; i++)
    {
      VpJob *job = g_ptr_array_index (jobs, i);

      n_completed += vp_job_get_status (job) == VP_JOB_STATUS_COMPLETED;
      g_ptr_array_add (self->jobs, g_object_ref (job));
    }

  if (n_completed == jobs->len)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u call to export",
                                         "%u calls to export", jobs->len),
                            jobs->len);
  else
    /* Translators: %u selected calls, of which %u have a result */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u call selected; %u completed with a result. The others will be listed as skipped.",
                                         "%u calls selected; %u completed with a result. The others will be listed as skipped.",
                                         jobs->len),
                            jobs->len, n_completed);
  gtk_label_set_text (self->selection_label, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), jobs->len > 0);

  return self;
}

const char *
vp_export_dialog_get_state (VpExportDialog *self)
{
  g_return_val_if_fail (VP_IS_EXPORT_DIALOG (self), NULL);

  return self->state;
}

char *
vp_export_dialog_dup_summary (VpExportDialog *self)
{
  g_return_val_if_fail (VP_IS_EXPORT_DIALOG (self), NULL);

  if (gtk_widget_get_visible (GTK_WIDGET (self->skipped_scroller)))
    return g_strdup_printf ("%s\n%s\n%s",
                            gtk_label_get_text (self->done_label),
                            gtk_label_get_text (self->skipped_title),
                            gtk_label_get_text (self->skipped_label));

  return g_strdup (gtk_label_get_text (self->done_label));
}

static void
vp_export_dialog_dispose (GObject *object)
{
  VpExportDialog *self = (VpExportDialog *)object;

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  G_OBJECT_CLASS (vp_export_dialog_parent_class)->dispose (object);
}

static void
vp_export_dialog_finalize (GObject *object)
{
  VpExportDialog *self = (VpExportDialog *)object;

  g_clear_object (&self->export);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_pointer (&self->jobs, g_ptr_array_unref);

  G_OBJECT_CLASS (vp_export_dialog_parent_class)->finalize (object);
}

static void
vp_export_dialog_class_init (VpExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = vp_export_dialog_dispose;
  object_class->finalize = vp_export_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/com/voxparse/CallBrowser/vp-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, VpExportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, VpExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, VpExportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, VpExportDialog, selection_label);
  gtk_widget_class_bind_template_child (widget_class, VpExportDialog, csv_button);
  gtk_widget_class_bind_template_child (widget_class, VpExportDialog, json_button);
  gtk_widget_class_bind_template_child (widget_class, VpExportDialog, mask_button);
  gtk_widget_class_bind_template_child (widget_class, VpExportDialog, progress_title);
  gtk_widget_class_bind_template_child (widget_class, VpExportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, VpExportDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, VpExportDialog, done_image);
  gtk_widget_class_bind_template_child (widget_class, VpExportDialog, done_label);
  gtk_widget_class_bind_template_child (widget_class, VpExportDialog, skipped_title);
  gtk_widget_class_bind_template_child (widget_class, VpExportDialog, skipped_scroller);
  gtk_widget_class_bind_template_child (widget_class, VpExportDialog, skipped_label);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
vp_export_dialog_init (VpExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  gtk_check_button_set_active (self->mask_button, read_mask_setting ());
  vp_export_dialog_set_state (self, "options");
}
