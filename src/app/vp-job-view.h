/* vp-job-view.h: the right side of the window: one job and its result
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vp-client.h"

G_BEGIN_DECLS

#define VP_TYPE_JOB_VIEW (vp_job_view_get_type ())
G_DECLARE_FINAL_TYPE (VpJobView, vp_job_view, VP, JOB_VIEW, GtkWidget)

#define VP_JOB_VIEW_N_PANES 4

VpClient *vp_job_view_get_client (VpJobView *self);
void      vp_job_view_set_client (VpJobView *self,
                                  VpClient  *client);
VpJob    *vp_job_view_get_job    (VpJobView *self);
/* Shows @job (the list's object, kept up to date by the view) and loads
 * its details and result, cancelling whatever the previous job was still
 * loading. */
void      vp_job_view_set_job    (VpJobView *self,
                                  VpJob     *job);
/* Loads the shown job again (after an error or a new key). */
void      vp_job_view_reload     (VpJobView *self);
/* 0 Overview, 1 Transcript, 2 Compliance, 3 Financial */
void      vp_job_view_show_pane  (VpJobView *self,
                                  guint      index);
guint     vp_job_view_get_pane   (VpJobView *self);
/* Moves @delta panes on, wrapping around. */
void      vp_job_view_cycle_pane (VpJobView *self,
                                  int        delta);

G_END_DECLS
