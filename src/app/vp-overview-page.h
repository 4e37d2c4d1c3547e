/* vp-overview-page.h: the Overview pane of a call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vp-analysis.h"

G_BEGIN_DECLS

#define VP_TYPE_OVERVIEW_PAGE (vp_overview_page_get_type ())
G_DECLARE_FINAL_TYPE (VpOverviewPage, vp_overview_page, VP, OVERVIEW_PAGE, GtkWidget)

/* @analysis: NULL when the result carried none */
void vp_overview_page_set_analysis (VpOverviewPage *self,
                                    VpAnalysis     *analysis);

G_END_DECLS
