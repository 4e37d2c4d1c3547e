/* vp-page-scanner.c: a page of jobs read straight from its text
 *
 * The fast path of _vp_responses_parse_job_page().  A page as the API
 * writes it (strict JSON in ASCII, no escapes in what a job is read from,
 * each known member of the type the API gives, nothing a job would note
 * as a problem) is read straight from the text into VpJobs: building
 * json-glib's tree and freeing it again was more than half the time of
 * loading a page.  Anything else (malformed JSON, a member of another
 * type, a repeated member, an escape or non-ASCII text, deep nesting, an
 * unknown status, a date in another form than the API's) makes it give
 * up, and the page goes the general way, which reads the same jobs from
 * what the fast path accepts and gives the errors and the problems for
 * the rest.
 *
 * The general way is _vp_responses_parse_job_page_slow() in
 * vp-responses.c; the fuzzer fuzz-job-page and test-parse check that the
 * two read the same jobs from every page this one accepts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-page-scanner"

#include "config.h"

#include <string.h>

#include "vp-job-private.h"
#include "vp-json.h"
#include "vp-page-scanner-private.h"

/* Deeper pages go the general way (which measures them against
 * VP_JSON_MAX_DEPTH) */
#define FAST_MAX_DEPTH 32
/* Longer text cannot be a date (SHORT_TEXT_MAX in vp-json.c) */
#define FAST_DATE_MAX 64
/* A page has 100 jobs at most (VP_CLIENT_MAX_LIMIT) */
#define FAST_PAGE_JOBS 100

typedef struct {
  const char *p;
  const char *end;
} Fast;

static inline void
fast_space (Fast *fast)
{
  while (fast->p < fast->end &&
         (*fast->p == ' ' || *fast->p == '\n' || *fast->p == '\r' || *fast->p == '\t'))
    fast->p++;
}

static inline gboolean
fast_at (Fast *fast,
         char  c)
{
  return fast->p < fast->end && *fast->p == c;
}

/* Past a string at fast->p: its text between the quotes.  With
 * @escapes, the one-letter escapes may be in it (\u and the rest are for
 * the general way); without, no escape at all. */
static gboolean
fast_string (Fast        *fast,
             gboolean     escapes,
             const char **text,
             gsize       *length)
{
  const char *start;

  g_assert (fast_at (fast, '"'));

  start = ++fast->p;
  for (; fast->p < fast->end; fast->p++)
    {
      guchar c = *fast->p;

      if (c == '"')
        {
          *text = start;
          *length = fast->p - start;
          fast->p++;
          return TRUE;
        }

      /* control characters and non-ASCII: not here */
      if (c < 0x20 || c >= 0x80)
        return FALSE;

      if (c == '\\')
        {
          if (!escapes ||
              ++fast->p >= fast->end || *fast->p == '\0' ||
              strchr ("\"\\/bfnrt", *fast->p) == NULL)
            return FALSE;
        }
    }

  return FALSE;
}

/* A string without escapes */
static inline gboolean
fast_plain_string (Fast        *fast,
                   const char **text,
                   gsize       *length)
{
  return fast_string (fast, FALSE, text, length);
}

/* Past a string, which may hold the one-letter escapes */
static inline gboolean
fast_skip_string (Fast  *fast,
                  gsize *length)
{
  const char *text;

  return fast_string (fast, TRUE, &text, length);
}

/* A number as JSON writes it, without an exponent and with few digits, at
 * fast->p; *integral if it has no fraction either */
static gboolean
fast_number (Fast        *fast,
             const char **text,
             gsize       *length,
             gboolean    *integral)
{
  const char *start = fast->p;
  const char *digits;
  g_assert (fast != NULL);
  g_assert (text != NULL);
  g_assert (length != NULL);
  g_assert (integral != NULL);


  if (fast_at (fast, '-'))
    fast->p++;

  digits = fast->p;
  if (fast_at (fast, '0'))
    fast->p++;
  else
    while (fast->p < fast->end && g_ascii_isdigit (*fast->p))
      fast->p++;
  if (fast->p == digits || fast->p - digits > 15)
    return FALSE;

  *integral = !fast_at (fast, '.');
  if (!*integral)
    {
      digits = ++fast->p;
      while (fast->p < fast->end && g_ascii_isdigit (*fast->p))
        fast->p++;
      if (fast->p == digits || fast->p - digits > 15)
        return FALSE;
    }

  /* an exponent, "01", "1x": the general way */
  if (fast->p < fast->end && (g_ascii_isalnum (*fast->p) || *fast->p == '.'))
    return FALSE;

  *text = start;
  *length = fast->p - start;

  return TRUE;
}

static inline gboolean
fast_word (Fast       *fast,
           const char *word,
           gsize       length)
{
  g_assert (fast != NULL);
  g_assert (word != NULL);

  if ((gsize) (fast->end - fast->p) < length || memcmp (fast->p, word, length) != 0)
    return FALSE;

  fast->p += length;

  /* "nullx" */
  return fast->p >= fast->end || !g_ascii_isalnum (*fast->p);
}

/* Past a value of any kind at fast->p, inside @depth containers */
static gboolean
fast_skip_value (Fast  *fast,
                 guint  depth)
{
  const char *text;
  gsize length;
  gboolean integral;

  g_assert (fast != NULL);

  if (fast->p >= fast->end)
    return FALSE;

  switch (*fast->p)
    {
    case '"':
      return fast_skip_string (fast, &length);

    case '{':
    case '[':
      {
        char close = *fast->p == '{' ? '}' : ']';

        if (depth + 1 > FAST_MAX_DEPTH)
          return FALSE;

        fast->p++;
        fast_space (fast);
        if (fast_at (fast, close))
          {
            fast->p++;
            return TRUE;
          }

        for (;;)
          {
            if (close == '}')
              {
                /* json-glib refuses an empty name */
                if (!fast_at (fast, '"') || !fast_skip_string (fast, &length) || length == 0)
                  return FALSE;
                fast_space (fast);
                if (!fast_at (fast, ':'))
                  return FALSE;
                fast->p++;
                fast_space (fast);
              }

            if (!fast_skip_value (fast, depth + 1))
              return FALSE;

            fast_space (fast);
            if (fast_at (fast, close))
              {
                fast->p++;
                return TRUE;
              }
            if (!fast_at (fast, ','))
              return FALSE;
            fast->p++;
            fast_space (fast);
          }
      }

    case 't':
      return fast_word (fast, "true", 4);

    case 'f':
      return fast_word (fast, "false", 5);

    case 'n':
      return fast_word (fast, "null", 4);

    default:
      return fast_number (fast, &text, &length, &integral);
    }
}

/* A string member (copied) or null (left NULL) */
static gboolean
fast_string_member (Fast  *fast,
                    char **value)
{
  const char *text;
  gsize length;

  g_assert (fast != NULL);
  g_assert (value != NULL && *value == NULL);

  if (fast_at (fast, 'n'))
    return fast_word (fast, "null", 4);

  if (!fast_at (fast, '"') || !fast_plain_string (fast, &text, &length))
    return FALSE;

  *value = g_strndup (text, length);

  return TRUE;
}

/* A date in a form vp_json_parse_date_time() reads, "" or null */
static gboolean
fast_date_member (Fast       *fast,
                  GDateTime **value)
{
  char buffer[FAST_DATE_MAX + 1];
  const char *text;
  gsize length;

  g_assert (fast != NULL);
  g_assert (value != NULL && *value == NULL);

  if (fast_at (fast, 'n'))
    return fast_word (fast, "null", 4);

  if (!fast_at (fast, '"') || !fast_plain_string (fast, &text, &length) ||
      length > FAST_DATE_MAX)
    return FALSE;

  /* "" says as little as null */
  if (length == 0)
    return TRUE;

  memcpy (buffer, text, length);
  buffer[length] = '\0';
  *value = vp_json_parse_date_time (buffer);

  return *value != NULL;
}

/* A number not below zero, or null (left as it is) */
static gboolean
fast_number_member (Fast     *fast,
                    gboolean  whole,
                    double   *value,
                    gint64   *whole_value)
{
  const char *text;
  gsize length;
  gboolean integral;
  char buffer[40];

  g_assert (fast != NULL);
  g_assert (whole ? whole_value != NULL : value != NULL);

  if (fast_at (fast, 'n'))
    return fast_word (fast, "null", 4);

  if (!fast_at (fast, '-') && !g_ascii_isdigit (*fast->p))
    return FALSE;

  /* negative numbers are noted as problems: the general way */
  if (!fast_number (fast, &text, &length, &integral) || text[0] == '-' ||
      (whole && !integral))
    return FALSE;

  /* at most 15 + 1 + 15 characters */
  memcpy (buffer, text, length);
  buffer[length] = '\0';

  if (integral)
    {
      gint64 parsed = g_ascii_strtoll (buffer, NULL, 10);

      if (whole)
        *whole_value = parsed;
      else
        *value = (double) parsed;
    }
  else
    *value = g_ascii_strtod (buffer, NULL);

  return TRUE;
}

/* A warning, a list of warnings, or null */
static gboolean
fast_warnings_member (Fast    *fast,
                      char  ***value)
{
  g_autoptr(GPtrArray) warnings = NULL;
  const char *text;
  gsize length;

  g_assert (fast != NULL);
  g_assert (value != NULL && *value == NULL);

  if (fast_at (fast, 'n'))
    return fast_word (fast, "null", 4);

  warnings = g_ptr_array_new_with_free_func (g_free);

  if (fast_at (fast, '"'))
    {
      if (!fast_plain_string (fast, &text, &length))
        return FALSE;
      g_ptr_array_add (warnings, g_strndup (text, length));
    }
  else
    {
      if (!fast_at (fast, '['))
        return FALSE;
      fast->p++;
      fast_space (fast);

      if (!fast_at (fast, ']'))
        for (;;)
          {
            /* only strings: warning objects go the general way */
            if (!fast_at (fast, '"') || !fast_plain_string (fast, &text, &length))
              return FALSE;
            g_ptr_array_add (warnings, g_strndup (text, length));
            fast_space (fast);
            if (fast_at (fast, ']'))
              break;
            if (!fast_at (fast, ','))
              return FALSE;
            fast->p++;
            fast_space (fast);
          }

      fast->p++;
    }

  g_ptr_array_add (warnings, NULL);
  g_ptr_array_set_free_func (warnings, NULL);
  *value = (char **) g_ptr_array_free (g_steal_pointer (&warnings), FALSE);

  return TRUE;
}

typedef enum {
  FAST_ID = 1 << 0,
  FAST_STATUS = 1 << 1,
  FAST_TYPE = 1 << 2,
  FAST_MODEL = 1 << 3,
  FAST_DURATION = 1 << 4,
  FAST_COST = 1 << 5,
  FAST_CREATED_AT = 1 << 6,
  FAST_COMPLETED_AT = 1 << 7,
  FAST_ERROR = 1 << 8,
  FAST_RESULT_URL = 1 << 9,
  FAST_WARNINGS = 1 << 10,
} FastMember;

static FastMember
fast_member (const char *name,
             gsize       length)
{
  static const struct {
    const char *name;
    FastMember  member;
  } members[] = {
    { "id", FAST_ID },
    { "status", FAST_STATUS },
    { "type", FAST_TYPE },
    { "model", FAST_MODEL },
    { "duration_seconds", FAST_DURATION },
    { "cost_cents", FAST_COST },
    { "created_at", FAST_CREATED_AT },
    { "completed_at", FAST_COMPLETED_AT },
    { "error", FAST_ERROR },
    { "result_url", FAST_RESULT_URL },
    { "warnings", FAST_WARNINGS },
  };

  g_assert (name != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    if (strncmp (name, members[i].name, length) == 0 && members[i].name[length] == '\0')
      return members[i].member;

  return 0;
}

/* One job object at fast->p, as new_from_json() in vp-job.c reads it when
 * it finds no problem */
static gboolean
fast_job_fields (Fast        *fast,
                 VpJobFields *fields)
{
  const char *start = fast->p;
  guint seen = 0;

  g_assert (fast != NULL);
  g_assert (fields != NULL);

  if (!fast_at (fast, '{'))
    return FALSE;
  fast->p++;
  fast_space (fast);

  for (;;)
    {
      const char *name;
      gsize length;
      FastMember member;
      gboolean ok;

      if (!fast_at (fast, '"') || !fast_plain_string (fast, &name, &length) || length == 0)
        return FALSE;
      fast_space (fast);
      if (!fast_at (fast, ':'))
        return FALSE;
      fast->p++;
      fast_space (fast);
      if (fast->p >= fast->end)
        return FALSE;

      /* json-glib keeps one of a repeated member: the general way */
      member = fast_member (name, length);
      if (seen & member)
        return FALSE;
      seen |= member;

      switch (member)
        {
        case FAST_ID:
          ok = fast_at (fast, '"') && fast_string_member (fast, &fields->id);
          break;

        case FAST_STATUS:
          {
            g_autofree char *status = NULL;

            ok = fast_string_member (fast, &status);
            if (ok && status != NULL)
              {
                fields->status = vp_job_status_from_string (status);
                ok = fields->status != VP_JOB_STATUS_UNKNOWN;
              }
          }
          break;

        case FAST_TYPE:
          ok = fast_string_member (fast, &fields->type_name);
          break;

        case FAST_MODEL:
          ok = fast_string_member (fast, &fields->model);
          break;

        case FAST_DURATION:
          ok = fast_number_member (fast, FALSE, &fields->duration_seconds, NULL);
          break;

        case FAST_COST:
          ok = fast_number_member (fast, TRUE, NULL, &fields->cost_cents);
          break;

        case FAST_CREATED_AT:
          ok = fast_date_member (fast, &fields->created_at);
          break;

        case FAST_COMPLETED_AT:
          ok = fast_date_member (fast, &fields->completed_at);
          break;

        case FAST_ERROR:
          ok = fast_string_member (fast, &fields->error);
          break;

        case FAST_RESULT_URL:
          ok = fast_string_member (fast, &fields->result_url);
          break;

        case FAST_WARNINGS:
          ok = fast_warnings_member (fast, &fields->warnings);
          break;

        default:
          /* the job object is three deep in the page */
          ok = fast_skip_value (fast, 3);
          break;
        }

      if (!ok)
        return FALSE;

      fast_space (fast);
      if (fast_at (fast, '}'))
        break;
      if (!fast_at (fast, ','))
        return FALSE;
      fast->p++;
      fast_space (fast);
    }

  fast->p++;

  if (fields->id == NULL || fields->id[0] == '\0')
    return FALSE;

  fields->json_text = g_strndup (start, fast->p - start);

  return TRUE;
}

GPtrArray *
_vp_page_scanner_read_jobs (GBytes *body)
{
  g_autoptr(GPtrArray) jobs = NULL;
  const char *data;
  gsize length;
  Fast fast;

  g_assert (body != NULL);

  data = g_bytes_get_data (body, &length);
  if (data == NULL)
    return NULL;

  fast.p = data;
  fast.end = data + length;

  fast_space (&fast);
  if (!fast_at (&fast, '{'))
    return NULL;
  fast.p++;
  fast_space (&fast);

  for (;;)
    {
      const char *name;
      gsize name_length;

      if (!fast_at (&fast, '"') || !fast_plain_string (&fast, &name, &name_length) ||
          name_length == 0)
        return NULL;
      fast_space (&fast);
      if (!fast_at (&fast, ':'))
        return NULL;
      fast.p++;
      fast_space (&fast);

      if (name_length == 4 && memcmp (name, "jobs", 4) == 0)
        {
          if (jobs != NULL || !fast_at (&fast, '['))
            return NULL;
          fast.p++;
          fast_space (&fast);

          /* Sized for a page: growing past 1 KiB makes malloc tidy up */
          jobs = g_ptr_array_new_full (FAST_PAGE_JOBS, g_object_unref);

          if (fast_at (&fast, ']'))
            fast.p++;
          else
            for (;;)
              {
                VpJobFields fields = VP_JOB_FIELDS_INIT;

                if (!fast_job_fields (&fast, &fields))
                  {
                    _vp_job_fields_clear (&fields);
                    return NULL;
                  }
                g_ptr_array_add (jobs, _vp_job_new_from_fields (&fields));

                fast_space (&fast);
                if (fast_at (&fast, ']'))
                  {
                    fast.p++;
                    break;
                  }
                if (!fast_at (&fast, ','))
                  return NULL;
                fast.p++;
                fast_space (&fast);
              }
        }
      else if (!fast_skip_value (&fast, 1))
        return NULL;

      fast_space (&fast);
      if (fast_at (&fast, '}'))
        break;
      if (!fast_at (&fast, ','))
        return NULL;
      fast.p++;
      fast_space (&fast);
    }

  fast.p++;
  fast_space (&fast);
  if (fast.p != fast.end)
    return NULL;

  return g_steal_pointer (&jobs);
}
