/* vp-result-private.h: what the tests and fuzzers may call of VpResult
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vp-result.h"

G_BEGIN_DECLS

/* vp_result_new_from_bytes() without the fast path for words and
 * segments: json-glib reads everything. */
VpResult *_vp_result_new_from_bytes_slow (GBytes  *body,
                                          GError **error);

G_END_DECLS
