/* vp-job-header.h: the metadata of the job on the right side
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vp-job.h"

G_BEGIN_DECLS

#define VP_TYPE_JOB_HEADER (vp_job_header_get_type ())
G_DECLARE_FINAL_TYPE (VpJobHeader, vp_job_header, VP, JOB_HEADER, GtkWidget)

VpJob *vp_job_header_get_job (VpJobHeader *self);
void   vp_job_header_set_job (VpJobHeader *self,
                              VpJob       *job);

G_END_DECLS
