/* vp-list-footer.h: the end of the job list (loading, error, the end)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vp-job-list.h"

G_BEGIN_DECLS

#define VP_TYPE_LIST_FOOTER (vp_list_footer_get_type ())
G_DECLARE_FINAL_TYPE (VpListFooter, vp_list_footer, VP, LIST_FOOTER, GtkWidget)

VpJobList  *vp_list_footer_get_job_list (VpListFooter *self);
void        vp_list_footer_set_job_list (VpListFooter *self,
                                         VpJobList    *job_list);
/* "loading", "error", "more", "end" or "empty" */
const char *vp_list_footer_get_state    (VpListFooter *self);

G_END_DECLS
