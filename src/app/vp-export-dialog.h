/* vp-export-dialog.h: exporting the selected calls from the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vp-client.h"
#include "vp-export.h"

G_BEGIN_DECLS

#define VP_TYPE_EXPORT_DIALOG (vp_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (VpExportDialog, vp_export_dialog, VP, EXPORT_DIALOG, GtkWindow)

/* @jobs: the VpJob to export, in the order the file lists them */
VpExportDialog *vp_export_dialog_new         (GtkWindow      *parent,
                                              VpClient       *client,
                                              GPtrArray      *jobs);
/* Runs the export into @file, as the file chooser's answer does. */
void            vp_export_dialog_start       (VpExportDialog *self,
                                              GFile          *file,
                                              VpExportFormat  format,
                                              gboolean        mask_pii);
/* "options", "progress", "done" or "error" */
const char     *vp_export_dialog_get_state   (VpExportDialog *self);
/* The summary shown at the end, and the skipped jobs with their reasons,
 * one a line */
char           *vp_export_dialog_dup_summary (VpExportDialog *self);

G_END_DECLS
