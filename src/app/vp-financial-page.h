/* vp-financial-page.h: the Financial pane of a call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vp-analysis.h"

G_BEGIN_DECLS

#define VP_TYPE_FINANCIAL_PAGE (vp_financial_page_get_type ())
G_DECLARE_FINAL_TYPE (VpFinancialPage, vp_financial_page, VP, FINANCIAL_PAGE, GtkWidget)

/* @analysis: NULL when the result carried none */
void vp_financial_page_set_analysis (VpFinancialPage *self,
                                     VpAnalysis      *analysis);

G_END_DECLS
