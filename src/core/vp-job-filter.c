/* vp-job-filter.c: what a reviewer looks for in a list of calls
 *
 * A plain value: status, call type, outcome, recording disclosure, kinds of
 * sensitive data, a creation time range and free text.  Matching a job
 * needs its result for every condition on the analysis; without it the
 * answer is VP_FILTER_MATCH_NEEDS_RESULT, and the window fetches it.  Only
 * completed jobs have results, so the others never match such conditions.
 * Text matching ignores ASCII case and allocates nothing: it runs over
 * whole transcripts for thousands of calls.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-job-filter"

#include "config.h"

#include <string.h>

#include "vp-job-filter.h"

struct _VpJobFilter
{
  VpJobStatus         status;
  char               *call_type;
  char               *outcome;
  VpDisclosureFilter  disclosure;
  VpSensitiveFilter   sensitive;
  gint64              since;
  gint64              until;
  char               *text;
};

G_DEFINE_BOXED_TYPE (VpJobFilter, vp_job_filter, vp_job_filter_copy, vp_job_filter_free)

VpJobFilter *
vp_job_filter_new (void)
{
  return g_new0 (VpJobFilter, 1);
}

VpJobFilter *
vp_job_filter_copy (const VpJobFilter *self)
{
  VpJobFilter *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->call_type = g_strdup (self->call_type);
  copy->outcome = g_strdup (self->outcome);
  copy->text = g_strdup (self->text);

  return copy;
}

void
vp_job_filter_free (VpJobFilter *self)
{
  if (self == NULL)
    return;

  g_free (self->call_type);
  g_free (self->outcome);
  g_free (self->text);
  g_free (self);
}

gboolean
vp_job_filter_equal (const VpJobFilter *a,
                     const VpJobFilter *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  return a->status == b->status &&
         g_strcmp0 (a->call_type, b->call_type) == 0 &&
         g_strcmp0 (a->outcome, b->outcome) == 0 &&
         a->disclosure == b->disclosure &&
         a->sensitive == b->sensitive &&
         a->since == b->since &&
         a->until == b->until &&
         g_strcmp0 (a->text, b->text) == 0;
}

static void
set_string (char       **field,
            const char  *value)
{
  g_assert (field != NULL);

  if (value != NULL && *value == '\0')
    value = NULL;

  if (g_strcmp0 (*field, value) != 0)
    {
      g_free (*field);
      *field = g_strdup (value);
    }
}

void
vp_job_filter_set_status (VpJobFilter *self,
                          VpJobStatus  status)
{
  g_return_if_fail (self != NULL);

  self->status = status;
}

VpJobStatus
vp_job_filter_get_status (const VpJobFilter *self)
{
  g_return_val_if_fail (self != NULL, VP_JOB_STATUS_UNKNOWN);

  return self->status;
}

void
vp_job_filter_set_call_type (VpJobFilter *self,
                             const char  *call_type)
{
  g_return_if_fail (self != NULL);

  set_string (&self->call_type, call_type);
}

const char *
vp_job_filter_get_call_type (const VpJobFilter *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->call_type;
}

void
vp_job_filter_set_outcome (VpJobFilter *self,
                           const char  *outcome)
{
  g_return_if_fail (self != NULL);

  set_string (&self->outcome, outcome);
}

const char *
vp_job_filter_get_outcome (const VpJobFilter *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->outcome;
}

void
vp_job_filter_set_disclosure (VpJobFilter        *self,
                              VpDisclosureFilter  disclosure)
{
  g_return_if_fail (self != NULL);

  self->disclosure = disclosure;
}

VpDisclosureFilter
vp_job_filter_get_disclosure (const VpJobFilter *self)
{
  g_return_val_if_fail (self != NULL, VP_DISCLOSURE_FILTER_ANY);

  return self->disclosure;
}

void
vp_job_filter_set_sensitive (VpJobFilter       *self,
                             VpSensitiveFilter  sensitive)
{
  g_return_if_fail (self != NULL);

  self->sensitive = sensitive;
}

VpSensitiveFilter
vp_job_filter_get_sensitive (const VpJobFilter *self)
{
  g_return_val_if_fail (self != NULL, VP_SENSITIVE_FILTER_ANY);

  return self->sensitive;
}

void
vp_job_filter_set_created_range (VpJobFilter *self,
                                 gint64       since,
                                 gint64       until)
{
  g_return_if_fail (self != NULL);

  self->since = since;
  self->until = until;
}

void
vp_job_filter_get_created_range (const VpJobFilter *self,
                                 gint64            *since,
                                 gint64            *until)
{
  g_return_if_fail (self != NULL);

  if (since != NULL)
    *since = self->since;
  if (until != NULL)
    *until = self->until;
}

void
vp_job_filter_set_text (VpJobFilter *self,
                        const char  *text)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (self != NULL);

  stripped = text ? g_strstrip (g_strdup (text)) : NULL;
  set_string (&self->text, stripped);
}

const char *
vp_job_filter_get_text (const VpJobFilter *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->text;
}

static gboolean
needs_analysis (const VpJobFilter *self)
{
  return self->call_type != NULL ||
         self->outcome != NULL ||
         self->disclosure != VP_DISCLOSURE_FILTER_ANY ||
         self->sensitive != VP_SENSITIVE_FILTER_ANY;
}

gboolean
vp_job_filter_is_empty (const VpJobFilter *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  return self->status == VP_JOB_STATUS_UNKNOWN &&
         !needs_analysis (self) &&
         self->since == 0 && self->until == 0 &&
         self->text == NULL;
}

gboolean
vp_job_filter_needs_results (const VpJobFilter *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return needs_analysis (self) || self->text != NULL;
}

static gboolean
is_ascii (const char *text)
{
  for (; *text != '\0'; text++)
    if ((guchar) *text >= 0x80)
      return FALSE;

  return TRUE;
}

/* Does @haystack contain @needle, ignoring case?  An ASCII needle is
 * looked for without copying (it can only match ASCII letters); another
 * one in the case-folded text ("müller" finds "MÜLLER"). */
static gboolean
contains_ci (const char *haystack,
             const char *needle)
{
  gsize needle_len;
  char first;

  if (haystack == NULL || needle == NULL)
    return FALSE;

  needle_len = strlen (needle);
  if (needle_len == 0)
    return TRUE;

  if (!is_ascii (needle))
    {
      g_autofree char *folded_haystack = g_utf8_casefold (haystack, -1);
      g_autofree char *folded_needle = g_utf8_casefold (needle, -1);

      return strstr (folded_haystack, folded_needle) != NULL;
    }

  first = g_ascii_tolower (needle[0]);

  for (const char *p = haystack; *p != '\0'; p++)
    {
      if (g_ascii_tolower (*p) == first &&
          g_ascii_strncasecmp (p, needle, needle_len) == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
equal_ci (const char *a,
          const char *b)
{
  return a != NULL && b != NULL && g_ascii_strcasecmp (a, b) == 0;
}

static gboolean
kind_is (const char        *kind,
         VpSensitiveFilter  sensitive)
{
  switch (sensitive)
    {
    case VP_SENSITIVE_FILTER_CARD:
      return contains_ci (kind, "card");
    case VP_SENSITIVE_FILTER_ACCOUNT:
      return contains_ci (kind, "account");
    case VP_SENSITIVE_FILTER_SSN:
      return contains_ci (kind, "ssn") || contains_ci (kind, "social security");
    case VP_SENSITIVE_FILTER_PHONE:
      return contains_ci (kind, "phone");
    case VP_SENSITIVE_FILTER_EMAIL:
      return contains_ci (kind, "email") || contains_ci (kind, "e-mail");
    case VP_SENSITIVE_FILTER_BIRTH_DATE:
      return contains_ci (kind, "birth");
    case VP_SENSITIVE_FILTER_ANY:
    case VP_SENSITIVE_FILTER_SOME:
    case VP_SENSITIVE_FILTER_NONE:
    default:
      return FALSE;
    }
}

gboolean
vp_sensitive_filter_matches (VpSensitiveFilter   sensitive,
                             const char * const *kinds)
{
  switch (sensitive)
    {
    case VP_SENSITIVE_FILTER_ANY:
      return TRUE;
    case VP_SENSITIVE_FILTER_SOME:
      return kinds != NULL && kinds[0] != NULL;
    case VP_SENSITIVE_FILTER_NONE:
      return kinds != NULL && kinds[0] == NULL;
    case VP_SENSITIVE_FILTER_CARD:
    case VP_SENSITIVE_FILTER_ACCOUNT:
    case VP_SENSITIVE_FILTER_SSN:
    case VP_SENSITIVE_FILTER_PHONE:
    case VP_SENSITIVE_FILTER_EMAIL:
    case VP_SENSITIVE_FILTER_BIRTH_DATE:
    default:
      for (guint i = 0; kinds != NULL && kinds[i] != NULL; i++)
        if (kind_is (kinds[i], sensitive))
          return TRUE;
      return FALSE;
    }
}

static gboolean
analysis_matches (const VpJobFilter *self,
                  VpAnalysis        *analysis)
{
  g_assert (self != NULL);

  if (self->call_type != NULL &&
      (analysis == NULL || !equal_ci (vp_analysis_get_call_type (analysis), self->call_type)))
    return FALSE;

  if (self->outcome != NULL &&
      (analysis == NULL || !equal_ci (vp_analysis_get_call_outcome (analysis), self->outcome)))
    return FALSE;

  if (self->disclosure != VP_DISCLOSURE_FILTER_ANY)
    {
      VpDisclosure disclosure = analysis ? vp_analysis_get_recording_disclosure (analysis)
                                         : VP_DISCLOSURE_NOT_GIVEN;

      if (self->disclosure == VP_DISCLOSURE_FILTER_MISSING && disclosure != VP_DISCLOSURE_MISSING)
        return FALSE;
      if (self->disclosure == VP_DISCLOSURE_FILTER_MADE && disclosure != VP_DISCLOSURE_MADE)
        return FALSE;
    }

  if (self->sensitive != VP_SENSITIVE_FILTER_ANY &&
      (analysis == NULL ||
       !vp_sensitive_filter_matches (self->sensitive,
                                     vp_analysis_get_sensitive_data_shared (analysis))))
    return FALSE;

  return TRUE;
}

static gboolean
result_has_text (VpResult   *result,
                 const char *text)
{
  VpAnalysis *analysis;

  g_assert (VP_IS_RESULT (result));
  g_assert (text != NULL);

  analysis = vp_result_get_analysis (result);
  if (analysis != NULL &&
      (contains_ci (vp_analysis_get_customer_name (analysis), text) ||
       contains_ci (vp_analysis_get_customer_company (analysis), text) ||
       contains_ci (vp_analysis_get_agent_name (analysis), text) ||
       contains_ci (vp_analysis_get_call_summary (analysis), text) ||
       contains_ci (vp_analysis_get_transcript_cleaned (analysis), text)))
    return TRUE;

  return contains_ci (vp_result_get_transcript (result), text);
}

VpFilterMatch
vp_job_filter_match (const VpJobFilter *self,
                     VpJob             *job,
                     VpResult          *result)
{
  gboolean text_found;

  g_return_val_if_fail (self != NULL, VP_FILTER_MATCH_NO);
  g_return_val_if_fail (VP_IS_JOB (job), VP_FILTER_MATCH_NO);
  g_return_val_if_fail (result == NULL || VP_IS_RESULT (result), VP_FILTER_MATCH_NO);

  if (self->status != VP_JOB_STATUS_UNKNOWN && vp_job_get_status (job) != self->status)
    return VP_FILTER_MATCH_NO;

  if (self->since != 0 || self->until != 0)
    {
      GDateTime *created = vp_job_get_created_at (job);
      gint64 t;

      if (created == NULL)
        return VP_FILTER_MATCH_NO;

      t = g_date_time_to_unix (created);
      if ((self->since != 0 && t < self->since) ||
          (self->until != 0 && t >= self->until))
        return VP_FILTER_MATCH_NO;
    }

  text_found = self->text == NULL || contains_ci (vp_job_get_id (job), self->text);

  if (!needs_analysis (self) && text_found)
    return VP_FILTER_MATCH_YES;

  /* Only completed jobs have a result to look into. */
  if (vp_job_get_status (job) != VP_JOB_STATUS_COMPLETED)
    return VP_FILTER_MATCH_NO;

  if (result == NULL)
    return VP_FILTER_MATCH_NEEDS_RESULT;

  if (!analysis_matches (self, vp_result_get_analysis (result)))
    return VP_FILTER_MATCH_NO;

  if (!text_found && !result_has_text (result, self->text))
    return VP_FILTER_MATCH_NO;

  return VP_FILTER_MATCH_YES;
}
