/* vp-responses-private.h: the API's response bodies, read into call data
 *
 * Used by VpClient (in a worker for large bodies), the tests and the
 * fuzzers; each takes a whole body and never trusts it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vp-job.h"
#include "vp-pricing.h"

G_BEGIN_DECLS

/* A JSON object, or VP_CLIENT_ERROR_INVALID_RESPONSE */
JsonNode  *_vp_responses_parse_object   (GBytes  *body,
                                         GError **error);
/* GET /v1/jobs: a GPtrArray of VpJob, all or nothing */
GPtrArray *_vp_responses_parse_job_page (GBytes  *body,
                                         GError **error);
/* The same, always through json-glib's tree (the fast path left out):
 * for the tests and the fuzzer that compare the two */
GPtrArray *_vp_responses_parse_job_page_slow (GBytes  *body,
                                              GError **error);
/* GET /v1/jobs/{id} */
VpJob     *_vp_responses_parse_job      (GBytes  *body,
                                         GError **error);
/* GET /v1/pricing */
VpPricing *_vp_responses_parse_pricing  (GBytes  *body,
                                         GError **error);
/* The "error" (or "message") of an error body, if it has one */
char      *_vp_responses_error_message  (GBytes  *body);

G_END_DECLS
