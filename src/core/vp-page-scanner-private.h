/* vp-page-scanner-private.h: a page of jobs read straight from its text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* GET /v1/jobs: the page's jobs (a GPtrArray of VpJob) when the page is
 * as the API writes it and no job has anything to note, else NULL: then
 * _vp_responses_parse_job_page_slow() reads it, and says what is wrong. */
GPtrArray *_vp_page_scanner_read_jobs (GBytes *body);

G_END_DECLS
