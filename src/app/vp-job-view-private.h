/* vp-job-view-private.h: what the window (and its tests) may ask the job view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vp-job-view.h"
#include "vp-result-cache.h"

G_BEGIN_DECLS

/* "blank" (no job, and not drawn yet), "empty", "loading", "pending",
 * "failed", "error" or "result" */
const char *_vp_job_view_get_state       (VpJobView  *self);
/* The text a field shows: @pane is "header", "overview", "transcript",
 * "compliance", "financial" or "view" (the job view itself) and @field the
 * name of a template child: a label's text, a text view's contents, a
 * stack's visible page, or the texts of a box's labels, one a line. */
char       *_vp_job_view_dup_field_text  (VpJobView  *self,
                                          const char *pane,
                                          const char *field);
/* TRUE once the "loading" page shows its spinner, a moment after it is
 * shown */
gboolean    _vp_job_view_is_spinner_shown (VpJobView  *self);
/* TRUE while something is being loaded or a poll is scheduled */
gboolean    _vp_job_view_is_busy         (VpJobView  *self);
/* Seconds until the next status check of a queued/processing job, 0 if none */
guint       _vp_job_view_get_poll_delay  (VpJobView  *self);

/* The results cached for the session: looked up before fetching, and
 * what is fetched is added */
void        _vp_job_view_set_result_cache (VpJobView     *self,
                                           VpResultCache *cache);
/* TRUE while a status check waits for the view to be shown again */
gboolean    _vp_job_view_is_poll_paused   (VpJobView     *self);

G_END_DECLS
