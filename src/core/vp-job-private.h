/* vp-job-private.h: what the core may ask of VpJob beyond its API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vp-job.h"

G_BEGIN_DECLS

/* As vp_job_new_from_json(), but the job keeps the object as JSON text
 * rather than the parsed tree: a fifth of the memory, for the pages of
 * /v1/jobs a list may hold by the hundred thousand.  vp_job_get_json()
 * parses it when first asked.  @text (@length bytes, need not end in a
 * nul), if not NULL, is @node exactly as the server sent it (a slice of the
 * page's body) and is copied; otherwise @node is written out compactly. */
VpJob *_vp_job_new_compact (JsonNode    *node,
                            const char  *text,
                            gsize        length,
                            GError     **error);

G_END_DECLS
