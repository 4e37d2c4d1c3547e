/* vp-window-private.h: what the tests may ask the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vp-audit-view.h"
#include "vp-export-dialog.h"
#include "vp-job-filter.h"
#include "vp-job-list.h"
#include "vp-result-cache.h"
#include "vp-window.h"

G_BEGIN_DECLS

GtkListView        *_vp_window_get_list_view       (VpWindow   *self);
/* The list's selection (a GtkMultiSelection over the filtered jobs) */
GtkSelectionModel  *_vp_window_get_selection       (VpWindow   *self);
VpJobList          *_vp_window_get_job_list        (VpWindow   *self);
GtkAdjustment      *_vp_window_get_vadjustment     (VpWindow   *self);
/* "welcome" or "browser" */
const char         *_vp_window_get_page            (VpWindow   *self);
gboolean            _vp_window_get_banner_revealed (VpWindow   *self);
const char         *_vp_window_get_banner_text     (VpWindow   *self);
/* "loading", "error", "more", "end" or "empty" */
const char         *_vp_window_get_footer_state    (VpWindow   *self);
/* "blank" (no job, and not drawn yet), "empty", "loading", "pending",
 * "failed", "error" or "result" */
const char         *_vp_window_get_view_state      (VpWindow   *self);
/* The id of the job on the right side, NULL if none */
const char         *_vp_window_get_shown_job_id    (VpWindow   *self);
/* See _vp_job_view_dup_field_text() */
char               *_vp_window_dup_field_text      (VpWindow   *self,
                                                    const char *pane,
                                                    const char *field);
gboolean            _vp_window_is_view_busy        (VpWindow   *self);
/* See _vp_job_view_is_spinner_shown() */
gboolean            _vp_window_is_view_spinner_shown (VpWindow   *self);
guint               _vp_window_get_pane            (VpWindow   *self);
/* Seconds until the shown job is checked again, 0 if it is not */
guint               _vp_window_get_poll_delay      (VpWindow   *self);
/* Selects the job with @job_id if the list holds it. */
gboolean            _vp_window_select_job          (VpWindow   *self,
                                                    const char *job_id);
/* As the banner's "Enter Another Key" and its key entry would. */
void                _vp_window_use_api_key         (VpWindow   *self,
                                                    const char *api_key);

/* The jobs the list shows, filtered */
GListModel         *_vp_window_get_filtered        (VpWindow   *self);
/* TRUE while the filter is being applied or results are to be applied */
gboolean            _vp_window_is_filtering        (VpWindow   *self);
VpResultCache      *_vp_window_get_result_cache    (VpWindow   *self);
/* The height the first frame's rows are guessed to take each, from which
 * the list is given its first rows (before vp_window_present_when_listed()) */
void                _vp_window_set_first_row_height_guess (VpWindow *self,
                                                          int       height);
/* As the filter bar would; NULL clears */
void                _vp_window_set_filter          (VpWindow          *self,
                                                    const VpJobFilter *filter);
VpAuditView        *_vp_window_get_audit_view      (VpWindow   *self);
/* "calls" or "audit" */
void                _vp_window_show_view           (VpWindow   *self,
                                                    const char *name);
const char         *_vp_window_get_view            (VpWindow   *self);
/* "list", or "no-matches" when filters leave nothing */
const char         *_vp_window_get_list_state      (VpWindow   *self);
/* "42 calls · 5:12:33 · $1.83" */
const char         *_vp_window_get_totals_text     (VpWindow   *self);
/* "Pro $0.39/h · Lite $0.15/h", NULL until /v1/pricing answered */
const char         *_vp_window_get_rates_text      (VpWindow   *self);
/* Exports the selection (or the job shown) into @file, as the export
 * dialog does after the file chooser.  Returns the dialog (owned by GTK). */
VpExportDialog     *_vp_window_export_to_file      (VpWindow       *self,
                                                    GFile          *file,
                                                    VpExportFormat  format,
                                                    gboolean        mask_pii);

G_END_DECLS
