/* vp-audit-view-private.h: what tests may ask the audit table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vp-audit-view.h"

G_BEGIN_DECLS

/* Whether results came that the rows are not sorted by yet */
gboolean _vp_audit_view_is_resort_pending (VpAuditView *self);

G_END_DECLS
