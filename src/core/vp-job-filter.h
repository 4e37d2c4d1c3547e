/* vp-job-filter.h: what a reviewer looks for in a list of calls
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vp-job.h"
#include "vp-result.h"

G_BEGIN_DECLS

/**
 * VpFilterMatch:
 * @VP_FILTER_MATCH_NO: the job is not wanted
 * @VP_FILTER_MATCH_YES: the job is wanted
 * @VP_FILTER_MATCH_NEEDS_RESULT: only its result can tell (not given yet)
 */
typedef enum {
  VP_FILTER_MATCH_NO,
  VP_FILTER_MATCH_YES,
  VP_FILTER_MATCH_NEEDS_RESULT,
} VpFilterMatch;

/**
 * VpDisclosureFilter:
 * @VP_DISCLOSURE_FILTER_ANY: any call
 * @VP_DISCLOSURE_FILTER_MISSING: calls whose analysis says recording_disclosure false
 * @VP_DISCLOSURE_FILTER_MADE: calls whose analysis says it was made
 */
typedef enum {
  VP_DISCLOSURE_FILTER_ANY,
  VP_DISCLOSURE_FILTER_MISSING,
  VP_DISCLOSURE_FILTER_MADE,
} VpDisclosureFilter;

/**
 * VpSensitiveFilter:
 *
 * Which kinds of sensitive data the customer shared (the analysis'
 * compliance.sensitive_data_shared): ANY is no condition, SOME any kind at
 * all, NONE an empty list; the others one kind (matched loosely: "credit
 * card" and "card number" are both a card).
 */
typedef enum {
  VP_SENSITIVE_FILTER_ANY,
  VP_SENSITIVE_FILTER_SOME,
  VP_SENSITIVE_FILTER_NONE,
  VP_SENSITIVE_FILTER_CARD,
  VP_SENSITIVE_FILTER_ACCOUNT,
  VP_SENSITIVE_FILTER_SSN,
  VP_SENSITIVE_FILTER_PHONE,
  VP_SENSITIVE_FILTER_EMAIL,
  VP_SENSITIVE_FILTER_BIRTH_DATE,
} VpSensitiveFilter;

typedef struct _VpJobFilter VpJobFilter;

#define VP_TYPE_JOB_FILTER (vp_job_filter_get_type ())
GType               vp_job_filter_get_type           (void) G_GNUC_CONST;

VpJobFilter        *vp_job_filter_new                (void);
VpJobFilter        *vp_job_filter_copy               (const VpJobFilter *self);
void                vp_job_filter_free               (VpJobFilter       *self);
gboolean            vp_job_filter_equal              (const VpJobFilter *a,
                                                      const VpJobFilter *b);

/* VP_JOB_STATUS_UNKNOWN for any status */
void                vp_job_filter_set_status         (VpJobFilter       *self,
                                                      VpJobStatus        status);
VpJobStatus         vp_job_filter_get_status         (const VpJobFilter *self);
/* "billing", …; NULL for any.  Compared without regard to case. */
void                vp_job_filter_set_call_type      (VpJobFilter       *self,
                                                      const char        *call_type);
const char         *vp_job_filter_get_call_type      (const VpJobFilter *self);
void                vp_job_filter_set_outcome        (VpJobFilter       *self,
                                                      const char        *outcome);
const char         *vp_job_filter_get_outcome        (const VpJobFilter *self);
void                vp_job_filter_set_disclosure     (VpJobFilter       *self,
                                                      VpDisclosureFilter disclosure);
VpDisclosureFilter  vp_job_filter_get_disclosure     (const VpJobFilter *self);
void                vp_job_filter_set_sensitive      (VpJobFilter       *self,
                                                      VpSensitiveFilter  sensitive);
VpSensitiveFilter   vp_job_filter_get_sensitive      (const VpJobFilter *self);
/* Jobs created at or after @since and before @until (Unix times, UTC);
 * 0 for no bound. */
void                vp_job_filter_set_created_range  (VpJobFilter       *self,
                                                      gint64             since,
                                                      gint64             until);
void                vp_job_filter_get_created_range  (const VpJobFilter *self,
                                                      gint64            *since,
                                                      gint64            *until);
/* Free text, looked for (ignoring case) in the job id, the customer's and
 * agent's names, the customer's company, the summary and the transcripts.
 * NULL or blank for none. */
void                vp_job_filter_set_text           (VpJobFilter       *self,
                                                      const char        *text);
const char         *vp_job_filter_get_text           (const VpJobFilter *self);

/* TRUE when no condition is set */
gboolean            vp_job_filter_is_empty           (const VpJobFilter *self);
/* TRUE when some condition needs the results of completed jobs */
gboolean            vp_job_filter_needs_results      (const VpJobFilter *self);

/* @result: @job's result when known, else NULL */
VpFilterMatch       vp_job_filter_match              (const VpJobFilter *self,
                                                      VpJob             *job,
                                                      VpResult          *result);

/* Whether @kinds (a sensitive_data_shared list) names what @sensitive asks
 * for. */
gboolean            vp_sensitive_filter_matches      (VpSensitiveFilter  sensitive,
                                                      const char * const *kinds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VpJobFilter, vp_job_filter_free)

G_END_DECLS
