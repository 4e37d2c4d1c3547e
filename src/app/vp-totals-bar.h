/* vp-totals-bar.h: how many calls, how long and what they cost
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vp-pricing.h"

G_BEGIN_DECLS

#define VP_TYPE_TOTALS_BAR (vp_totals_bar_get_type ())
G_DECLARE_FINAL_TYPE (VpTotalsBar, vp_totals_bar, VP, TOTALS_BAR, GtkWidget)

/* @selected: the totals are of the selection rather than of what is
 * listed.  @seconds and @cents: sums of the jobs that give them. */
void        vp_totals_bar_set_totals  (VpTotalsBar *self,
                                       guint        n_calls,
                                       gboolean     selected,
                                       double       seconds,
                                       gint64       cents);
/* The per-hour rates, shown by the total cost; NULL when unknown */
void        vp_totals_bar_set_pricing (VpTotalsBar *self,
                                       VpPricing   *pricing);
/* "42 calls · 5:12:33 · $1.83" */
const char *vp_totals_bar_get_text    (VpTotalsBar *self);
/* "Pro $0.39/h · Lite $0.15/h", or NULL */
const char *vp_totals_bar_get_rates   (VpTotalsBar *self);

G_END_DECLS
