/* vp-compliance-page.h: the Compliance pane of a call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vp-analysis.h"

G_BEGIN_DECLS

#define VP_TYPE_COMPLIANCE_PAGE (vp_compliance_page_get_type ())
G_DECLARE_FINAL_TYPE (VpCompliancePage, vp_compliance_page, VP, COMPLIANCE_PAGE, GtkWidget)

/* @analysis: NULL when the result carried none */
void vp_compliance_page_set_analysis (VpCompliancePage *self,
                                      VpAnalysis       *analysis);

G_END_DECLS
