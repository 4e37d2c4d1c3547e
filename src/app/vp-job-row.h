/* vp-job-row.h: one job in the list of jobs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vp-job.h"

G_BEGIN_DECLS

#define VP_TYPE_JOB_ROW (vp_job_row_get_type ())
G_DECLARE_FINAL_TYPE (VpJobRow, vp_job_row, VP, JOB_ROW, GtkWidget)

GtkWidget *vp_job_row_new     (void);
VpJob     *vp_job_row_get_job (VpJobRow *self);
void       vp_job_row_set_job (VpJobRow *self,
                               VpJob    *job);
gboolean   vp_job_row_get_selection_mode (VpJobRow *self);
void       vp_job_row_set_selection_mode (VpJobRow *self,
                                          gboolean  selection_mode);
gboolean   vp_job_row_get_selected       (VpJobRow *self);
void       vp_job_row_set_selected       (VpJobRow *self,
                                          gboolean  selected);

G_END_DECLS
