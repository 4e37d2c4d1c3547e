/* vp-audit-view.h: the compliance audit table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vp-result-cache.h"

G_BEGIN_DECLS

#define VP_TYPE_AUDIT_VIEW (vp_audit_view_get_type ())
G_DECLARE_FINAL_TYPE (VpAuditView, vp_audit_view, VP, AUDIT_VIEW, GtkWidget)

/* Before the model: where the cells find results */
void               vp_audit_view_set_cache     (VpAuditView   *self,
                                                VpResultCache *cache);
/* The jobs to show (the window's filtered list) */
void               vp_audit_view_set_model     (VpAuditView   *self,
                                                GListModel    *jobs);
/* Over the sorted rows */
GtkSelectionModel *vp_audit_view_get_selection (VpAuditView   *self);
/* The jobs in the order shown */
GListModel        *vp_audit_view_get_sorted    (VpAuditView   *self);
/* @column: "created", "type", "outcome", "disclosure", "sensitive",
 * "sentiment", "performance", "payment" or "pending"; NULL for unsorted */
void               vp_audit_view_sort_by       (VpAuditView   *self,
                                                const char    *column,
                                                GtkSortType    order);
/* What the cell of @column shows for the row at @position */
char              *vp_audit_view_dup_cell_text (VpAuditView   *self,
                                                guint          position,
                                                const char    *column);
/* As a double-click on the row would */
void               vp_audit_view_activate_row  (VpAuditView   *self,
                                                guint          position);

G_END_DECLS
