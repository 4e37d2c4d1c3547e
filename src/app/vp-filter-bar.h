/* vp-filter-bar.h: search and filters above the list of calls
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vp-job-filter.h"

G_BEGIN_DECLS

#define VP_TYPE_FILTER_BAR (vp_filter_bar_get_type ())
G_DECLARE_FINAL_TYPE (VpFilterBar, vp_filter_bar, VP, FILTER_BAR, GtkWidget)

/* What the bar asks for now; never NULL. */
const VpJobFilter *vp_filter_bar_get_filter    (VpFilterBar       *self);
/* Shows @filter in the bar (NULL clears it) and emits "changed" if it is
 * different. */
void               vp_filter_bar_set_filter    (VpFilterBar       *self,
                                                const VpJobFilter *filter);
void               vp_filter_bar_clear         (VpFilterBar       *self);
void               vp_filter_bar_focus_search  (VpFilterBar       *self);
/* How far the background fetching of results has got: "Checked 120 of 300
 * calls"; hidden when @n_checked == @n_total. */
void               vp_filter_bar_set_progress  (VpFilterBar       *self,
                                                guint              n_checked,
                                                guint              n_total);
/* "12 of 300 calls match" */
void               vp_filter_bar_set_n_matches (VpFilterBar       *self,
                                                guint              n_matches,
                                                guint              n_listed);

G_END_DECLS
