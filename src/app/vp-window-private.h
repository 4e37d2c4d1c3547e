/* vp-window-private.h: what the tests may ask the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vp-job-list.h"
#include "vp-window.h"

G_BEGIN_DECLS

GtkListView        *_vp_window_get_list_view       (VpWindow   *self);
GtkSingleSelection *_vp_window_get_selection       (VpWindow   *self);
VpJobList          *_vp_window_get_job_list        (VpWindow   *self);
GtkAdjustment      *_vp_window_get_vadjustment     (VpWindow   *self);
/* "welcome" or "browser" */
const char         *_vp_window_get_page            (VpWindow   *self);
gboolean            _vp_window_get_banner_revealed (VpWindow   *self);
const char         *_vp_window_get_banner_text     (VpWindow   *self);
/* "loading", "error", "more", "end" or "empty" */
const char         *_vp_window_get_footer_state    (VpWindow   *self);
/* "empty", "loading", "pending", "failed", "error" or "result" */
const char         *_vp_window_get_view_state      (VpWindow   *self);
/* The id of the job on the right side, NULL if none */
const char         *_vp_window_get_shown_job_id    (VpWindow   *self);
/* See _vp_job_view_dup_field_text() */
char               *_vp_window_dup_field_text      (VpWindow   *self,
                                                    const char *pane,
                                                    const char *field);
gboolean            _vp_window_is_view_busy        (VpWindow   *self);
guint               _vp_window_get_pane            (VpWindow   *self);
/* Seconds until the shown job is checked again, 0 if it is not */
guint               _vp_window_get_poll_delay      (VpWindow   *self);
/* Selects the job with @job_id if the list holds it. */
gboolean            _vp_window_select_job          (VpWindow   *self,
                                                    const char *job_id);
/* As the banner's "Enter Another Key" and its key entry would. */
void                _vp_window_use_api_key         (VpWindow   *self,
                                                    const char *api_key);

G_END_DECLS
