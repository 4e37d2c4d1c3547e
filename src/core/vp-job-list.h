/* vp-job-list.h: a GListModel of jobs that pages through /v1/jobs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vp-client.h"

G_BEGIN_DECLS

#define VP_TYPE_JOB_LIST (vp_job_list_get_type ())
G_DECLARE_FINAL_TYPE (VpJobList, vp_job_list, VP, JOB_LIST, GObject)

VpJobList    *vp_job_list_new           (VpClient  *client,
                                         guint      page_size);
VpClient     *vp_job_list_get_client    (VpJobList *self);
/* Replaces the client and starts over from an empty list. */
void          vp_job_list_set_client    (VpJobList *self,
                                         VpClient  *client);
guint         vp_job_list_get_page_size (VpJobList *self);
void          vp_job_list_set_page_size (VpJobList *self,
                                         guint      page_size);
gboolean      vp_job_list_is_loading    (VpJobList *self);
gboolean      vp_job_list_has_more      (VpJobList *self);
/* The error of the last request, or NULL; cleared when a request succeeds */
const GError *vp_job_list_get_error     (VpJobList *self);

/* Fetches the next page unless one is on its way or the end was reached. */
void          vp_job_list_load_more     (VpJobList *self);
/* Brings in the jobs created since the list was loaded, at the top, and
 * updates the status of the jobs it sees again. */
void          vp_job_list_refresh       (VpJobList *self);
VpJob        *vp_job_list_find          (VpJobList *self,
                                         const char *job_id,
                                         guint     *position);

G_END_DECLS
