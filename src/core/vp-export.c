/* vp-export.c: exporting jobs and their results to a CSV or JSON file
 *
 * A run of the export has a thread of its own.  On it, with a main context
 * and a client of its own, it keeps at most MAX_IN_FLIGHT requests in
 * flight and at most WINDOW jobs fetched but not yet written; it reads
 * each result as it comes (parsing and masking are CPU work), writes the
 * records in selection order, whatever order the results arrived in, into
 * a temporary file beside the target, and renames that into place after
 * the last job.  On any error or cancellation it deletes the temporary
 * file instead.
 *
 * One thread for the requests, the reading and the writing: on a small
 * machine every other busy thread takes the CPU from the server, when that
 * is on the same machine.  The caller's thread hears of progress (at most
 * one wake-up pending at a time) and of the end; the jobs it gave are
 * copied when added, as a VpJob may change on the caller's thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-export"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vp-core-enums.h"
#include "vp-csv.h"
#include "vp-error.h"
#include "vp-export.h"
#include "vp-job-private.h"
#include "vp-json.h"
#include "vp-pii.h"

/* Requests handed to the client at once, at most.  The client's session
 * sends at most VP_EXPORT_MAX_CONCURRENT at a time and queues the others:
 * a connection that has delivered a body starts on the next request at
 * once, while that body is read and written. */
#define MAX_IN_FLIGHT (2 * VP_EXPORT_MAX_CONCURRENT)
/* Jobs fetched (or being fetched) but not yet written, at most */
#define WINDOW (4 * VP_EXPORT_MAX_CONCURRENT)
/* Records are written to the file this much at a time */
#define FLUSH_SIZE (64 * 1024)
/* The caller hears of progress at most this often (µs) */
#define PROGRESS_INTERVAL (50 * G_TIME_SPAN_MILLISECOND)
/* Attempts at one request answered 429 */
#define MAX_ATTEMPTS 3
#define MAX_RETRY_DELAY 60

typedef enum {
  ITEM_PENDING,
  ITEM_FETCHING,
  ITEM_READY,
  ITEM_WRITTEN,
} ItemState;

/* One job to export.  Until the run starts, and after it ends, the
 * caller's; during the run, the run's thread's. */
typedef struct {
  char      *job_id;
  VpJob     *job;       /* a copy of the caller's, or the one fetched */
  VpResult  *result;    /* JSON: parsed by the client */
  GBytes    *body;      /* CSV: read when written */
  char      *reason;    /* set when skipped, translated */
  const char *code;     /* set when skipped: a static, stable word */
  GSource   *retry;     /* while waiting to ask again after a 429 */
  ItemState  state;
  guint      attempts;
} Item;

typedef struct _Run Run;

struct _VpExport
{
  GObject         parent_instance;

  VpClient       *client;
  VpExportFormat  format;
  GFile          *file;
  gboolean        mask_pii;

  GPtrArray      *items;
  GArray         *skipped;

  /* The caller's thread */
  GMainContext   *context;
  GTask          *task;
  GCancellable   *user_cancellable;
  gulong          cancelled_id;
  Run            *run;
  guint           n_fetched;
  guint           n_written;
  guint           n_exported;
  guint           started : 1;
  guint           finished : 1;

  /* Progress, from the run's thread (atomic) */
  gint            run_fetched;
  gint            run_written;
  gint            progress_scheduled;
};

G_DEFINE_FINAL_TYPE (VpExport, vp_export, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_FORMAT,
  PROP_FILE,
  PROP_MASK_PII,
  PROP_N_TOTAL,
  PROP_N_FETCHED,
  PROP_N_WRITTEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const csv_columns[] = {
  "id", "status", "type", "model", "duration_seconds", "cost_cents",
  "created_at", "completed_at", "error",
  "call_summary", "call_type", "call_outcome",
  "customer_name", "customer_company", "customer_email", "customer_phone",
  "agent_name", "agent_department", "agent_id",
  "payment_today", "recurring_amount", "pending_balance", "payment_method",
  "billing_date", "recording_disclosure", "sensitive_data_shared",
  "customer_sentiment", "agent_performance",
  "key_issues", "action_items", "agreements", "plan", "transcript_cleaned",
  NULL
};

/* -------------------------------------------------------------------------
 * Small helpers
 */

static void
item_free (gpointer data)
{
  Item *item = data;

  g_assert (item->retry == NULL);

  g_free (item->job_id);
  g_clear_object (&item->job);
  g_clear_object (&item->result);
  g_clear_pointer (&item->body, g_bytes_unref);
  g_free (item->reason);
  g_free (item);
}

static void
skipped_clear (gpointer data)
{
  VpExportSkipped *skipped = data;

  g_free (skipped->job_id);
  g_free (skipped->reason);
}

/* The shortest decimal form that reads back as the same double */
static char *
format_number (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (value == (double) (gint64) value && value > -1e15 && value < 1e15)
    return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) value);

  for (int precision = 15; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }

  return g_strdup (buf);
}

static char *
format_time (GDateTime *time)
{
  if (time == NULL)
    return NULL;

  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
}

/* -------------------------------------------------------------------------
 * Formatting
 */

static void
append_json_string (GString    *out,
                    const char *str)
{
  g_assert (out != NULL);
  g_assert (str != NULL);

  g_string_append_c (out, '"');
  for (const char *p = str; *p; p++)
    {
      guchar c = *p;

      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, c);
        }
    }
  g_string_append_c (out, '"');
}

/* Like json_generator, but numbers keep their shortest form */
static void
append_json_node (GString  *out,
                  JsonNode *node)
{
  g_assert (out != NULL);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_string_append (out, "null");
      return;
    }

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;
      gboolean first = TRUE;

      g_string_append_c (out, '{');
      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (json_object_iter_next_ordered (&iter, &name, &member))
        {
          if (!first)
            g_string_append_c (out, ',');
          first = FALSE;
          append_json_string (out, name);
          g_string_append_c (out, ':');
          append_json_node (out, member);
        }
      g_string_append_c (out, '}');
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      g_string_append_c (out, '[');
      for (guint i = 0; i < n; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          append_json_node (out, json_array_get_element (array, i));
        }
      g_string_append_c (out, ']');
    }
  else
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_STRING)
        append_json_string (out, json_node_get_string (node));
      else if (type == G_TYPE_INT64)
        g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      else if (type == G_TYPE_DOUBLE)
        {
          g_autofree char *number = format_number (json_node_get_double (node));

          /* Keep a double a double when read back */
          g_string_append (out, number);
          if (strpbrk (number, ".eE") == NULL)
            g_string_append (out, ".0");
        }
      else if (type == G_TYPE_BOOLEAN)
        g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      else
        g_string_append (out, "null");
    }
}

static void mask_node (JsonNode *node, gboolean top);

static void
mask_words (JsonArray *words)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
  g_auto(GStrv) masked = NULL;
  guint n = json_array_get_length (words);

  g_assert (words != NULL);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (words, i);
      JsonObject *object;
      JsonNode *word;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          mask_node (element, FALSE);
          continue;
        }

      object = json_node_get_object (element);
      word = json_object_get_member (object, "word");
      if (word != NULL && json_node_get_value_type (word) == G_TYPE_STRING)
        {
          g_ptr_array_add (texts, (gpointer) json_node_get_string (word));
          g_ptr_array_add (nodes, word);
        }
    }

  masked = vp_pii_mask_words ((const char * const *) texts->pdata, texts->len);
  for (guint i = 0; i < nodes->len; i++)
    json_node_set_string (g_ptr_array_index (nodes, i), masked[i]);
}

/* Every string of the result goes through the PII masker; the words of
 * the top-level "words" array are read together. */
static void
mask_node (JsonNode *node,
           gboolean  top)
{
  if (node == NULL)
    return;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (json_object_iter_next_ordered (&iter, &name, &member))
        {
          if (top && g_str_equal (name, "words") && JSON_NODE_HOLDS_ARRAY (member))
            mask_words (json_node_get_array (member));
          else
            mask_node (member, FALSE);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        mask_node (json_array_get_element (array, i), FALSE);
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autofree char *masked = vp_pii_mask (json_node_get_string (node));

      json_node_set_string (node, masked);
    }
}

static gboolean
append_json_result (GString   *out,
                    VpResult  *result,
                    gboolean   mask_pii,
                    GError   **error)
{
  GBytes *body = vp_result_get_bytes (result);
  gsize size;
  const char *data = g_bytes_get_data (body, &size);
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  g_assert (out != NULL);

  if (!mask_pii)
    {
      /* Already validated JSON: byte for byte, unknown fields and number
       * forms included.  Trailing blanks are dropped for tidiness. */
      while (size > 0 && g_ascii_isspace (data[size - 1]))
        size--;
      g_string_append_len (out, data, size);
      return TRUE;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, size, error))
    return FALSE;

  root = json_parser_steal_root (parser);
  mask_node (root, TRUE);
  append_json_node (out, root);
  json_node_unref (root);

  return TRUE;
}

static void
append_list (GString            *record,
             const char * const *list,
             gboolean            mask_pii)
{
  g_autofree char *joined = NULL;
  g_autofree char *masked = NULL;

  g_assert (record != NULL);

  if (list != NULL)
    joined = g_strjoinv (VP_EXPORT_CSV_LIST_SEPARATOR, (char **) list);
  if (joined != NULL && mask_pii)
    masked = vp_pii_mask (joined);

  vp_csv_append_field (record, masked ? masked : joined, VP_CSV_TEXT);
}

static void
append_text (GString    *record,
             const char *text,
             gboolean    mask_pii)
{
  g_autofree char *masked = NULL;

  g_assert (record != NULL);

  if (text != NULL && mask_pii)
    text = masked = vp_pii_mask (text);

  vp_csv_append_field (record, text, VP_CSV_TEXT);
}

static void
append_money (GString      *record,
              VpAnalysis   *analysis,
              VpMoneyField  field)
{
  g_autofree char *number = NULL;
  double amount;

  g_assert (record != NULL);

  if (analysis != NULL && vp_analysis_get_money (analysis, field, &amount))
    number = format_number (amount);

  vp_csv_append_field (record, number, VP_CSV_NUMBER);
}

/* The job's columns */
static char **
job_cells_new (VpJob *job)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  g_autofree char *duration = NULL;
  g_autofree char *cost = NULL;
  g_autofree char *created = NULL;
  g_autofree char *completed = NULL;
  char **cells;

  g_assert (VP_IS_JOB (job));

  if (vp_job_get_duration_seconds (job) >= 0)
    duration = format_number (vp_job_get_duration_seconds (job));
  if (vp_job_get_cost_cents (job) >= 0)
    cost = g_strdup_printf ("%" G_GINT64_FORMAT, vp_job_get_cost_cents (job));
  created = format_time (vp_job_get_created_at (job));
  completed = format_time (vp_job_get_completed_at (job));

  g_strv_builder_add (builder, vp_job_get_id (job));
  g_strv_builder_add (builder, vp_job_status_to_string (vp_job_get_status (job)));
  g_strv_builder_add (builder, vp_job_get_type_name (job) ? vp_job_get_type_name (job) : "");
  g_strv_builder_add (builder, vp_job_get_model (job) ? vp_job_get_model (job) : "");
  g_strv_builder_add (builder, duration ? duration : "");
  g_strv_builder_add (builder, cost ? cost : "");
  g_strv_builder_add (builder, created ? created : "");
  g_strv_builder_add (builder, completed ? completed : "");
  g_strv_builder_add (builder, vp_job_get_error (job) ? vp_job_get_error (job) : "");

  cells = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return cells;
}

static void
append_csv_record (GString    *out,
                   VpJob      *job,
                   VpAnalysis *a,
                   gboolean    mask_pii)
{
  g_autoptr(GString) record = g_string_new (NULL);
  g_auto(GStrv) job_cells = job_cells_new (job);
  const char *disclosure = NULL;

  g_assert (out != NULL);
  g_assert (VP_IS_JOB (job));

  for (guint i = 0; job_cells[i] != NULL; i++)
    vp_csv_append_field (record, job_cells[i],
                         i == 4 || i == 5 ? VP_CSV_NUMBER : VP_CSV_TEXT);

#define TEXT(getter) append_text (record, a ? getter (a) : NULL, mask_pii)
  TEXT (vp_analysis_get_call_summary);
  TEXT (vp_analysis_get_call_type);
  TEXT (vp_analysis_get_call_outcome);
  TEXT (vp_analysis_get_customer_name);
  TEXT (vp_analysis_get_customer_company);
  TEXT (vp_analysis_get_customer_email);
  TEXT (vp_analysis_get_customer_phone);
  TEXT (vp_analysis_get_agent_name);
  TEXT (vp_analysis_get_agent_department);
  TEXT (vp_analysis_get_agent_id);
  append_money (record, a, VP_MONEY_PAYMENT_TODAY);
  append_money (record, a, VP_MONEY_RECURRING_AMOUNT);
  append_money (record, a, VP_MONEY_PENDING_BALANCE);
  TEXT (vp_analysis_get_payment_method);
  TEXT (vp_analysis_get_billing_date);

  if (a != NULL)
    {
      switch (vp_analysis_get_recording_disclosure (a))
        {
        case VP_DISCLOSURE_MADE:
          disclosure = "yes";
          break;
        case VP_DISCLOSURE_MISSING:
          disclosure = "no";
          break;
        case VP_DISCLOSURE_NOT_GIVEN:
        default:
          break;
        }
    }
  vp_csv_append_field (record, disclosure, VP_CSV_TEXT);

  append_list (record, a ? vp_analysis_get_sensitive_data_shared (a) : NULL, mask_pii);
  TEXT (vp_analysis_get_customer_sentiment);
  TEXT (vp_analysis_get_agent_performance);
  append_list (record, a ? vp_analysis_get_key_issues (a) : NULL, mask_pii);
  append_list (record, a ? vp_analysis_get_action_items (a) : NULL, mask_pii);
  append_list (record, a ? vp_analysis_get_agreements (a) : NULL, mask_pii);
  vp_csv_append_field (record, a != NULL && vp_analysis_is_lite (a) ? "lite" : "pro", VP_CSV_TEXT);
  TEXT (vp_analysis_get_transcript_cleaned);
#undef TEXT

  vp_csv_end_record (out, record);
}

/* -------------------------------------------------------------------------
 * Reading a result for CSV
 *
 * A CSV record needs only the result's "ai_analysis"; the words and
 * segments are most of the bytes.  So the body is checked to be strict
 * JSON by a scanner that builds nothing, and only the "ai_analysis" member
 * is parsed.  Whenever anything is unusual (not an object, an escaped or
 * repeated top-level name, deep nesting, invalid UTF-8, anything strict
 * JSON does not allow; a byte that is not ASCII outside a string is one)
 * the whole body is read by vp_result_new_from_bytes()
 * as the client would, so the outcome is the same either way.
 */

#define SCAN_MAX_DEPTH 64

typedef struct {
  const char *p;
  const char *end;
} Scan;

#define IS_WS(c) ((c) == ' ' || (c) == '\n' || (c) == '\r' || (c) == '\t')

static inline void
scan_ws (Scan *scan)
{
  while (scan->p < scan->end && IS_WS (*scan->p))
    scan->p++;
}

#define BYTES_1 G_GUINT64_CONSTANT (0x0101010101010101)
#define BYTES_80 G_GUINT64_CONSTANT (0x8080808080808080)

/* Non-zero when one of the eight bytes of @w is one a string cannot simply
 * run on over: '"', '\\', a control character, or not ASCII.  (The usual
 * tests for a zero byte and a byte below a bound, eight at a time; the
 * high bit of w ^ '"' and w ^ '\\' is that of w.)  The lowest flag is
 * exact (only a byte that is flagged itself borrows from the next), so on
 * a little-endian machine it says where the first such byte is. */
static inline guint64
word_stops_string (guint64 w)
{
  guint64 quote = w ^ (BYTES_1 * '"');
  guint64 backslash = w ^ (BYTES_1 * '\\');

  return (((w - BYTES_1 * 0x20) | (quote - BYTES_1) | (backslash - BYTES_1)) & ~w & BYTES_80) |
         (w & BYTES_80);
}

static inline gboolean
byte_stops_string (guchar c)
{
  return c == '"' || c == '\\' || c < 0x20 || c >= 0x80;
}

/* The first byte from @p on that stops a string, or @end */
static inline const char *
skip_plain (const char *p,
            const char *end)
{
  while (end - p >= 8)
    {
      guint64 w, stops;

      memcpy (&w, p, sizeof w);
      if ((stops = word_stops_string (w)) != 0)
        {
#if G_BYTE_ORDER == G_LITTLE_ENDIAN && defined (__GNUC__)
          return p + (__builtin_ctzll (stops) >> 3);
#else
          break;
#endif
        }
      p += 8;
    }
  while (p < end && !byte_stops_string (*p))
    p++;

  return p;
}

/* At a '"': past the closing one, the text checked to be UTF-8 (only
 * strings may hold other than ASCII).  *escaped says whether it had
 * escapes.  Plain text is skipped eight bytes at a time (the transcript),
 * and a short string (the words' texts and the names) in one step. */
G_ALWAYS_INLINE static inline gboolean
scan_string (Scan     *scan,
             gboolean *escaped)
{
  const char *p = scan->p + 1;
  const char *end = scan->end;
  const char *high = NULL;      /* the first byte that is not ASCII */

  *escaped = FALSE;
  for (;;)
    {
      guchar c;

      p = skip_plain (p, end);
      if (p >= end)
        return FALSE;

      c = *p;
      if (c == '"')
        {
          /* What comes before the first such byte is ASCII */
          if (high != NULL && !g_utf8_validate_len (high, p - high, NULL))
            return FALSE;
          scan->p = p + 1;
          return TRUE;
        }
      if (c < 0x20)
        return FALSE;
      if (c >= 0x80)
        {
          if (high == NULL)
            high = p;
        }
      else /* '\\' */
        {
          *escaped = TRUE;
          if (++p >= end)
            return FALSE;
          switch (*p)
            {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
              break;
            case 'u':
              if (end - p < 5 ||
                  !g_ascii_isxdigit (p[1]) || !g_ascii_isxdigit (p[2]) ||
                  !g_ascii_isxdigit (p[3]) || !g_ascii_isxdigit (p[4]))
                return FALSE;
              /* Surrogates: leave them to json-glib */
              if (g_ascii_tolower (p[1]) == 'd' && g_ascii_xdigit_value (p[2]) >= 8)
                return FALSE;
              p += 4;
              break;
            default:
              return FALSE;
            }
        }
      p++;
    }
}

static inline const char *
skip_digits (const char *p,
             const char *end)
{
  while (p < end && g_ascii_isdigit (*p))
    p++;

  return p;
}

/* At a '-' or a digit: past the number, strict JSON's grammar */
static gboolean
scan_number (Scan *scan)
{
  const char *p = scan->p;
  const char *end = scan->end;
  const char *digits;

  if (*p == '-')
    p++;
  if (p < end && *p == '0')
    p++;
  else
    {
      digits = p;
      if ((p = skip_digits (p, end)) == digits)
        return FALSE;
    }
  if (p < end && *p == '.')
    {
      digits = ++p;
      if ((p = skip_digits (p, end)) == digits)
        return FALSE;
    }
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      digits = p;
      if ((p = skip_digits (p, end)) == digits)
        return FALSE;
    }
  scan->p = p;

  return TRUE;
}

static inline gboolean
scan_literal (Scan       *scan,
              const char *word,
              gsize       length)
{
  if ((gsize) (scan->end - scan->p) < length || memcmp (scan->p, word, length) != 0)
    return FALSE;
  scan->p += length;

  return TRUE;
}

/* Past one value (after blanks) that sits @depth containers deep.  Not
 * recursive: the open containers are bits of one word (1: an object),
 * which SCAN_MAX_DEPTH bounds. */
static gboolean
scan_value (Scan  *scan,
            guint  depth)
{
  guint64 objects = 0;
  guint level = 0;
  gboolean escaped;

  G_STATIC_ASSERT (SCAN_MAX_DEPTH <= 64);

value:
  scan_ws (scan);
  if (scan->p >= scan->end)
    return FALSE;

  switch (*scan->p)
    {
    case '"':
      if (!scan_string (scan, &escaped))
        return FALSE;
      break;

    case '{':
    case '[':
      if (depth + level >= SCAN_MAX_DEPTH)
        return FALSE;
      objects = (objects << 1) | (*scan->p == '{');
      level++;
      scan->p++;
      scan_ws (scan);
      if (scan->p >= scan->end)
        return FALSE;
      if (*scan->p == ((objects & 1) ? '}' : ']'))
        {
          scan->p++;
          objects >>= 1;
          level--;
          break;
        }
      if (objects & 1)
        goto name;
      goto value;

    case 't':
      if (!scan_literal (scan, "true", 4))
        return FALSE;
      break;
    case 'f':
      if (!scan_literal (scan, "false", 5))
        return FALSE;
      break;
    case 'n':
      if (!scan_literal (scan, "null", 4))
        return FALSE;
      break;

    default:
      if ((*scan->p != '-' && !g_ascii_isdigit (*scan->p)) || !scan_number (scan))
        return FALSE;
      break;
    }

  /* After a value: the end of its container, or the next one */
  while (level > 0)
    {
      scan_ws (scan);
      if (scan->p >= scan->end)
        return FALSE;
      if (*scan->p == ',')
        {
          scan->p++;
          if (objects & 1)
            goto name;
          goto value;
        }
      if (*scan->p != ((objects & 1) ? '}' : ']'))
        return FALSE;
      scan->p++;
      objects >>= 1;
      level--;
    }

  return TRUE;

name:
  scan_ws (scan);
  if (scan->p >= scan->end || *scan->p != '"' || !scan_string (scan, &escaped))
    return FALSE;
  scan_ws (scan);
  if (scan->p >= scan->end || *scan->p != ':')
    return FALSE;
  scan->p++;
  goto value;
}

/* TRUE when @data is a strict JSON object with plain top-level names;
 * then *start and *end delimit the value of its one "ai_analysis" member
 * (both 0 when it has none). */
static gboolean
find_analysis (const char *data,
               gsize       length,
               gsize      *start,
               gsize      *end)
{
  Scan scan = { data, data + length };
  gboolean found = FALSE;
  gboolean escaped;

  *start = *end = 0;

  scan_ws (&scan);
  if (scan.p >= scan.end || *scan.p != '{')
    return FALSE;
  scan.p++;
  scan_ws (&scan);
  if (scan.p < scan.end && *scan.p == '}')
    scan.p++;
  else
    for (;;)
      {
        const char *name;
        gboolean is_analysis;

        scan_ws (&scan);
        name = scan.p;
        if (scan.p >= scan.end || *scan.p != '"' || !scan_string (&scan, &escaped) || escaped)
          return FALSE;
        is_analysis = scan.p - name == strlen ("\"ai_analysis\"") &&
                      memcmp (name, "\"ai_analysis\"", scan.p - name) == 0;
        if (is_analysis && found)
          return FALSE;
        scan_ws (&scan);
        if (scan.p >= scan.end || *scan.p != ':')
          return FALSE;
        scan.p++;
        scan_ws (&scan);
        if (is_analysis)
          *start = scan.p - data;
        if (!scan_value (&scan, 1))
          return FALSE;
        if (is_analysis)
          {
            *end = scan.p - data;
            found = TRUE;
          }
        scan_ws (&scan);
        if (scan.p >= scan.end)
          return FALSE;
        if (*scan.p == '}')
          {
            scan.p++;
            break;
          }
        if (*scan.p != ',')
          return FALSE;
        scan.p++;
      }

  scan_ws (&scan);

  return scan.p == scan.end;
}

/* The analysis of a result body (NULL when it has none), or FALSE and
 * @error when the body is not a result */
static gboolean
read_analysis (GBytes      *body,
               VpAnalysis **analysis,
               GError     **error)
{
  gsize length;
  const char *data = g_bytes_get_data (body, &length);
  gsize start, end;

  g_assert (body != NULL);
  g_assert (analysis != NULL);

  *analysis = NULL;

  if (length > 0 && find_analysis (data, length, &start, &end))
    {
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GBytes) slice = NULL;

      if (end == start || data[start] != '{')
        return TRUE;
      slice = g_bytes_new_from_bytes (body, start, end - start);

      /* Checked strict JSON, at most SCAN_MAX_DEPTH deep, read once here
       * and dropped: neither the nesting check nor sealing is needed. */
      if ((node = vp_json_parse_bytes_unsealed (slice, TRUE, NULL)) != NULL)
        {
          *analysis = vp_analysis_new_from_json (node, NULL, NULL);
          return TRUE;
        }
    }

  /* The ordinary way */
  {
    g_autoptr(VpResult) result = vp_result_new_from_bytes (body, error);
    VpAnalysis *a;

    if (result == NULL)
      return FALSE;
    if ((a = vp_result_get_analysis (result)) != NULL)
      *analysis = g_object_ref (a);
  }

  return TRUE;
}

/* -------------------------------------------------------------------------
 * The file
 */

typedef struct {
  char          *path;       /* the target, when local */
  char          *tmp_path;
  char          *display;    /* the target, for messages */
  int            fd;
  GOutputStream *stream;     /* the target is not a local file */
  GCancellable  *abandon;    /* for @stream: closing it cancelled drops it */
} Sink;

static void
set_io_error (GError     **error,
              int          errsv,
              const char  *display)
{
  GIOErrorEnum code = g_io_error_from_errno (errsv);

  if (errsv == ENOSPC
#ifdef EDQUOT
      || errsv == EDQUOT
#endif
      )
    /* Translators: %s is a file name */
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                 _("The disk is full: cannot write %s"), display);
  else
    /* Translators: the first %s is a file name, the second says why
     * ("Permission denied") */
    g_set_error (error, G_IO_ERROR, code,
                 _("Cannot write to %s: %s"), display, g_strerror (errsv));
}

static void
prefix_error (GError     **error,
              const char  *display)
{
  if (error != NULL && *error != NULL &&
      !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        {
          g_free ((*error)->message);
          (*error)->message = g_strdup_printf (_("The disk is full: cannot write %s"), display);
        }
      else
        {
          g_autofree char *message = g_steal_pointer (&(*error)->message);

          (*error)->message = g_strdup_printf (_("Cannot write to %s: %s"), display, message);
        }
    }
}

static void
sink_clear (Sink *sink)
{
  g_clear_pointer (&sink->path, g_free);
  g_clear_pointer (&sink->tmp_path, g_free);
  g_clear_pointer (&sink->display, g_free);
  g_clear_object (&sink->stream);
  g_clear_object (&sink->abandon);
}

static gboolean
sink_open (Sink      *sink,
           GFile     *file,
           GError   **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmpl = NULL;
  struct stat st;
  int errsv;

  g_assert (sink != NULL);
  g_assert (G_IS_FILE (file));

  sink->fd = -1;
  sink->path = g_file_get_path (file);
  sink->display = g_file_get_parse_name (file);

  if (sink->path == NULL)
    {
      /* GIO's own replace writes beside the target and renames, and drops
       * the new file when closed with a cancelled cancellable. */
      sink->abandon = g_cancellable_new ();
      sink->stream = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE,
                                                      G_FILE_CREATE_REPLACE_DESTINATION,
                                                      NULL, error));
      prefix_error (error, sink->display);
      return sink->stream != NULL;
    }

  if (g_stat (sink->path, &st) == 0 && S_ISDIR (st.st_mode))
    {
      set_io_error (error, EISDIR, sink->display);
      return FALSE;
    }

  dir = g_path_get_dirname (sink->path);
  base = g_path_get_basename (sink->path);
  tmpl = g_strdup_printf (".%s.XXXXXX", base);
  sink->tmp_path = g_build_filename (dir, tmpl, NULL);

  sink->fd = g_mkstemp_full (sink->tmp_path, O_WRONLY | O_CLOEXEC, 0666);
  if (sink->fd < 0)
    {
      errsv = errno;
      g_clear_pointer (&sink->tmp_path, g_free);
      set_io_error (error, errsv, sink->display);
      return FALSE;
    }

  /* mkstemp makes a private file; give it the mode a new file gets (or the
   * one the file it replaces had). */
  if (g_stat (sink->path, &st) == 0)
    fchmod (sink->fd, st.st_mode & 07777);
  else
    {
      mode_t mask = umask (0);

      umask (mask);
      fchmod (sink->fd, 0666 & ~mask);
    }

  return TRUE;
}

static gboolean
sink_write (Sink          *sink,
            const char    *data,
            gsize          length,
            GCancellable  *cancellable,
            GError       **error)
{
  g_assert (sink != NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (sink->stream != NULL)
    {
      if (!g_output_stream_write_all (sink->stream, data, length, NULL, cancellable, error))
        {
          prefix_error (error, sink->display);
          return FALSE;
        }
      return TRUE;
    }

  while (length > 0)
    {
      gssize n = write (sink->fd, data, length);

      if (n < 0)
        {
          int errsv = errno;

          if (errsv == EINTR)
            continue;
          set_io_error (error, errsv, sink->display);
          return FALSE;
        }

      data += n;
      length -= n;
    }

  return TRUE;
}

static void
sink_abort (Sink *sink)
{
  g_assert (sink != NULL);

  if (sink->stream != NULL)
    {
      g_cancellable_cancel (sink->abandon);
      g_output_stream_close (sink->stream, sink->abandon, NULL);
    }

  if (sink->fd >= 0)
    {
      close (sink->fd);
      sink->fd = -1;
    }

  if (sink->tmp_path != NULL)
    g_unlink (sink->tmp_path);
}

static gboolean
sink_commit (Sink          *sink,
             GCancellable  *cancellable,
             GError       **error)
{
  int fd;

  g_assert (sink != NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (sink->stream != NULL)
    {
      if (!g_output_stream_close (sink->stream, cancellable, error))
        {
          prefix_error (error, sink->display);
          return FALSE;
        }
      return TRUE;
    }

  /* A full disk may only show when the data reaches it */
  if (fsync (sink->fd) != 0 && errno != EINVAL)
    {
      set_io_error (error, errno, sink->display);
      return FALSE;
    }

  fd = sink->fd;
  sink->fd = -1;
  if (close (fd) != 0)
    {
      set_io_error (error, errno, sink->display);
      return FALSE;
    }

  if (g_rename (sink->tmp_path, sink->path) != 0)
    {
      set_io_error (error, errno, sink->display);
      return FALSE;
    }

  g_clear_pointer (&sink->tmp_path, g_free);

  return TRUE;
}

/* -------------------------------------------------------------------------
 * The run's thread
 */

struct _Run
{
  VpExport       *self;         /* for the progress atomics and the end */
  GThread        *thread;
  GMainContext   *context;      /* the run's own */
  VpClient       *client;       /* the run's own: made and released on the
                                 * caller's thread, used on the run's */
  GCancellable   *cancellable;  /* cancelled on the run's thread only */
  GCancellable   *user_cancellable;
  GPtrArray      *items;
  VpExportFormat  format;
  gboolean        mask_pii;
  GFile          *file;

  Sink            sink;
  GString        *out;
  GError         *error;

  guint           next_start;
  guint           next_write;
  guint           n_in_flight;
  guint           n_fetched;
  guint           n_exported;

  gint64          progress_time;   /* last told, monotonic */
  GSource        *progress_source; /* to tell what is new, when due */

  gboolean        done;         /* committed, failed or cancelled */
  gboolean        committed;
};

typedef struct {
  Run   *run;
  guint  index;
} Fetch;

static Fetch *
fetch_new (Run   *run,
           guint  index)
{
  Fetch *fetch = g_new0 (Fetch, 1);

  fetch->run = run;
  fetch->index = index;
  return fetch;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetch, g_free)

static void pump (Run *run);
static void start_item (Run *run, guint index);

static void
run_free (Run *run)
{
  g_assert (run->n_in_flight == 0);

  g_clear_object (&run->client);
  g_clear_pointer (&run->context, g_main_context_unref);
  g_clear_object (&run->cancellable);
  g_clear_object (&run->user_cancellable);
  g_clear_pointer (&run->items, g_ptr_array_unref);
  g_clear_object (&run->file);
  sink_clear (&run->sink);
  if (run->out != NULL)
    g_string_free (run->out, TRUE);
  g_clear_error (&run->error);
  g_clear_object (&run->self);
  g_free (run);
}

/* Ends the run: nothing more starts, and the thread's loop ends */
static void
run_stop (Run          *run,
          const GError *error)
{
  g_assert (run != NULL);

  if (run->error == NULL && error != NULL)
    run->error = g_error_copy (error);
  run->done = TRUE;
  g_cancellable_cancel (run->cancellable);
}

static gboolean
on_cancel_cb (gpointer data)
{
  Run *run = data;

  if (!run->done)
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                     _("The export was cancelled"));

      run_stop (run, error);
    }

  return G_SOURCE_REMOVE;
}

/* Any thread: the user's cancellable.  The run hears of it on its own
 * thread (an attached source always runs there; g_main_context_invoke()
 * may run it here). */
static void
on_user_cancelled_cb (GCancellable *cancellable,
                      gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_callback (source, on_cancel_cb, run, NULL);
  g_source_attach (source, run->context);
}

static gboolean on_progress_cb (gpointer data);

/* Tells the caller's thread how far the run is, waking it only when it
 * has taken the last news */
static void
tell_progress (Run *run)
{
  VpExport *self = run->self;

  run->progress_time = g_get_monotonic_time ();
  g_atomic_int_set (&self->run_fetched, run->n_fetched);
  g_atomic_int_set (&self->run_written, run->n_exported);

  if (g_atomic_int_compare_and_exchange (&self->progress_scheduled, FALSE, TRUE))
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, on_progress_cb, g_object_ref (self), g_object_unref);
      g_source_attach (source, self->context);
    }
}

static gboolean
on_progress_due_cb (gpointer data)
{
  Run *run = data;

  g_clear_pointer (&run->progress_source, g_source_unref);
  tell_progress (run);

  return G_SOURCE_REMOVE;
}

/* When PROGRESS_INTERVAL has passed since the caller was last told (a
 * progress bar needs no more, and every wake-up of the caller's thread
 * takes a core from the run or from the server), and at once when the
 * first record is written */
static void
publish_progress (Run *run)
{
  gint64 wait = run->progress_time + PROGRESS_INTERVAL - g_get_monotonic_time ();
  gboolean first = run->n_exported > 0 && g_atomic_int_get (&run->self->run_written) == 0;

  if (first && run->progress_source != NULL)
    {
      g_source_destroy (run->progress_source);
      g_clear_pointer (&run->progress_source, g_source_unref);
    }

  if (run->progress_source != NULL)
    return;

  if (wait <= 0 || first)
    {
      tell_progress (run);
      return;
    }

  run->progress_source = g_timeout_source_new (MAX (1, wait / G_TIME_SPAN_MILLISECOND));
  g_source_set_callback (run->progress_source, on_progress_due_cb, run, NULL);
  g_source_attach (run->progress_source, run->context);
}

static gboolean
write_head (Run     *run,
            GError **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert (run != NULL);

  if (run->format == VP_EXPORT_FORMAT_CSV)
    {
      g_autoptr(GString) record = g_string_new (NULL);

      g_string_append (out, VP_CSV_BOM);
      for (guint i = 0; csv_columns[i] != NULL; i++)
        vp_csv_append_field (record, csv_columns[i], VP_CSV_TEXT);
      vp_csv_end_record (out, record);
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");

      g_string_append_printf (out,
                              "{\"format\":\"voxparse-export\",\"version\":1,"
                              "\"exported_at\":\"%s\",\"mask_pii\":%s,\"jobs\":[",
                              stamp, run->mask_pii ? "true" : "false");
    }

  return sink_write (&run->sink, out->str, out->len, run->cancellable, error);
}

/* The skipped jobs (JSON), after the records */
static void
append_tail (Run *run)
{
  guint n = 0;

  g_assert (run != NULL);

  if (run->format == VP_EXPORT_FORMAT_CSV)
    return;

  g_string_append (run->out, "\n],\"skipped\":[");
  for (guint i = 0; i < run->items->len; i++)
    {
      Item *item = g_ptr_array_index (run->items, i);

      if (item->reason == NULL)
        continue;

      g_string_append (run->out, n++ > 0 ? ",\n" : "\n");
      g_string_append (run->out, "{\"id\":");
      append_json_string (run->out, item->job_id);
      g_string_append (run->out, ",\"code\":");
      append_json_string (run->out, item->code);
      g_string_append (run->out, ",\"reason\":");
      append_json_string (run->out, item->reason);
      g_string_append_c (run->out, '}');
    }
  g_string_append (run->out, "]}\n");
}

static gboolean
flush (Run     *run,
       GError **error)
{
  g_assert (run != NULL);

  if (run->out->len == 0)
    return TRUE;

  if (!sink_write (&run->sink, run->out->str, run->out->len, run->cancellable, error))
    return FALSE;
  g_string_truncate (run->out, 0);

  return TRUE;
}

static char *
job_json_new (VpJob *job)
{
  JsonObject *object = vp_job_get_json (job);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert (VP_IS_JOB (job));

  if (object == NULL)
    {
      g_string_append (out, "{\"id\":");
      append_json_string (out, vp_job_get_id (job));
      g_string_append_c (out, '}');
      return g_string_free (g_steal_pointer (&out), FALSE);
    }

  node = json_node_init_object (json_node_alloc (), object);
  append_json_node (out, node);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Appends the job's record, or marks it skipped when its result cannot
 * be read; its result and body are dropped either way */
static gboolean
write_item (Run     *run,
            Item    *item,
            GError **error)
{
  g_autoptr(VpResult) result = g_steal_pointer (&item->result);
  g_autoptr(GBytes) body = g_steal_pointer (&item->body);
  g_autoptr(VpAnalysis) analysis = NULL;

  g_assert (run != NULL);
  g_assert (item->state == ITEM_READY);

  if (item->reason == NULL && body != NULL)
    {
      g_autoptr(GError) read_error = NULL;

      if (!read_analysis (body, &analysis, &read_error))
        {
          item->code = "result-not-fetched";
          /* Translators: %s says why (already translated) */
          item->reason = g_strdup_printf (_("The result could not be fetched: %s"),
                                          read_error->message);
        }
    }

  if (item->reason != NULL)
    return TRUE;

  if (run->format == VP_EXPORT_FORMAT_CSV)
    append_csv_record (run->out, item->job, analysis, run->mask_pii);
  else
    {
      g_autofree char *job_json = job_json_new (item->job);

      g_string_append (run->out, run->n_exported > 0 ? ",\n" : "\n");
      g_string_append (run->out, "{\"job\":");
      g_string_append (run->out, job_json);
      g_string_append (run->out, ",\"result\":");
      if (!append_json_result (run->out, result, run->mask_pii, error))
        return FALSE;
      g_string_append_c (run->out, '}');
    }

  run->n_exported++;

  return run->out->len < FLUSH_SIZE || flush (run, error);
}

/* Writes the jobs whose turn has come, in selection order, and after the
 * last one, puts the file in place */
static void
write_ready (Run *run)
{
  g_autoptr(GError) error = NULL;

  g_assert (run != NULL);

  while (!run->done && run->next_write < run->items->len)
    {
      Item *item = g_ptr_array_index (run->items, run->next_write);

      if (item->state != ITEM_READY)
        return;

      if (!write_item (run, item, &error))
        {
          run_stop (run, error);
          return;
        }

      item->state = ITEM_WRITTEN;
      run->next_write++;
    }

  if (run->done)
    return;

  append_tail (run);
  if (!flush (run, &error) || !sink_commit (&run->sink, run->cancellable, &error))
    {
      run_stop (run, error);
      return;
    }

  run->committed = TRUE;
  run_stop (run, NULL);
}

/* @code and @reason go together: both NULL, or both set */
static void
item_done (Run        *run,
           Item       *item,
           const char *code,
           char       *reason)
{
  g_assert (run != NULL);
  g_assert (item->state == ITEM_FETCHING);
  g_assert ((code == NULL) == (reason == NULL));

  item->state = ITEM_READY;
  g_free (item->reason);
  item->reason = reason;
  item->code = code;
  run->n_in_flight--;
  run->n_fetched++;

  write_ready (run);
  pump (run);
}

/* Why a job has no result, or NULL when it has one */
static char *
reason_for_status (VpJob       *job,
                   const char **code)
{
  g_assert (VP_IS_JOB (job));
  g_assert (code != NULL);

  switch (vp_job_get_status (job))
    {
    case VP_JOB_STATUS_QUEUED:
      *code = "queued";
      return g_strdup (_("Job is still queued"));
    case VP_JOB_STATUS_PROCESSING:
      *code = "processing";
      return g_strdup (_("Job is still processing"));
    case VP_JOB_STATUS_FAILED:
      *code = "failed";
      if (vp_job_get_error (job) != NULL && *vp_job_get_error (job) != '\0')
        /* Translators: %s is the error the server gave for the job */
        return g_strdup_printf (_("Job failed: %s"), vp_job_get_error (job));
      return g_strdup (_("Job failed"));
    case VP_JOB_STATUS_COMPLETED:
      *code = NULL;
      return NULL;
    case VP_JOB_STATUS_UNKNOWN:
    default:
      *code = "unknown-status";
      return g_strdup (_("Job has an unknown status"));
    }
}

static gboolean
on_retry_cb (gpointer data)
{
  Fetch *fetch = data;
  Run *run = fetch->run;
  Item *item = g_ptr_array_index (run->items, fetch->index);

  g_clear_pointer (&item->retry, g_source_unref);
  run->n_in_flight--;

  if (!run->done)
    {
      item->state = ITEM_PENDING;
      start_item (run, fetch->index);
    }

  return G_SOURCE_REMOVE;
}

/* TRUE when the error was dealt with (retry, or the end of the run) */
static gboolean
handle_error (Run          *run,
              guint         index,
              const GError *error)
{
  Item *item = g_ptr_array_index (run->items, index);

  g_assert (run != NULL);

  if (run->done || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      run->n_in_flight--;
      return TRUE;
    }

  if (g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_UNAUTHORIZED) ||
      g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_CANNOT_CONNECT) ||
      g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_URL))
    {
      run->n_in_flight--;
      run_stop (run, error);
      return TRUE;
    }

  if (g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_RATE_LIMITED) &&
      ++item->attempts < MAX_ATTEMPTS)
    {
      guint delay = CLAMP (vp_client_error_get_retry_after (error), 1, MAX_RETRY_DELAY);

      g_debug ("Rate limited; trying job %s again in %u s", item->job_id, delay);
      g_assert (item->retry == NULL);
      item->retry = g_timeout_source_new_seconds (delay);
      g_source_set_callback (item->retry, on_retry_cb, fetch_new (run, index), g_free);
      g_source_attach (item->retry, run->context);
      return TRUE;
    }

  return FALSE;
}

/* A result (parsed or as bytes) that did not come: retried or waited
 * for (handle_error()), else the job is skipped with the reason */
static void
result_failed (Run          *run,
               guint         index,
               const GError *error)
{
  Item *item = g_ptr_array_index (run->items, index);

  if (handle_error (run, index, error))
    return;

  if (g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_NOT_FOUND))
    item_done (run, item, "result-not-found",
               g_strdup (_("The result could not be found (404)")));
  else
    /* Translators: %s says why (already translated) */
    item_done (run, item, "result-not-fetched",
               g_strdup_printf (_("The result could not be fetched: %s"), error->message));
}

static void
on_result_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Fetch) fetch = user_data;
  Run *run = fetch->run;
  Item *item = g_ptr_array_index (run->items, fetch->index);
  g_autoptr(VpResult) vp_result = NULL;
  g_autoptr(GError) error = NULL;

  vp_result = vp_client_get_result_finish (VP_CLIENT (object), result, &error);

  if (vp_result == NULL)
    result_failed (run, fetch->index, error);
  else if (run->done)
    run->n_in_flight--;
  else
    {
      item->result = g_steal_pointer (&vp_result);
      item_done (run, item, NULL, NULL);
    }
}

static void
on_result_bytes_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Fetch) fetch = user_data;
  Run *run = fetch->run;
  Item *item = g_ptr_array_index (run->items, fetch->index);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = vp_client_get_result_bytes_finish (VP_CLIENT (object), result, &error);

  if (body == NULL)
    result_failed (run, fetch->index, error);
  else if (run->done)
    run->n_in_flight--;
  else
    {
      item->body = g_steal_pointer (&body);
      item_done (run, item, NULL, NULL);
    }
}

/* JSON needs the whole result, checked: the client parses it.  CSV needs
 * only the analysis: write_item() reads it from the body. */
static void
fetch_result (Run   *run,
              guint  index)
{
  Item *item = g_ptr_array_index (run->items, index);

  g_assert (run != NULL);

  if (run->format == VP_EXPORT_FORMAT_CSV)
    vp_client_get_result_bytes_async (run->client, item->job, run->cancellable,
                                      on_result_bytes_cb, fetch_new (run, index));
  else
    vp_client_get_result_async (run->client, item->job, run->cancellable,
                                on_result_cb, fetch_new (run, index));
}

static void
on_job_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Fetch) fetch = user_data;
  Run *run = fetch->run;
  Item *item = g_ptr_array_index (run->items, fetch->index);
  g_autoptr(VpJob) job = NULL;
  g_autoptr(GError) error = NULL;
  const char *code = NULL;
  char *reason;

  job = vp_client_get_job_finish (VP_CLIENT (object), result, &error);

  if (job == NULL)
    {
      if (handle_error (run, fetch->index, error))
        return;

      if (g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_NOT_FOUND))
        item_done (run, item, "job-not-found",
                   g_strdup (_("The job could not be found (404)")));
      else
        /* Translators: %s says why (already translated) */
        item_done (run, item, "job-not-fetched",
                   g_strdup_printf (_("The job could not be fetched: %s"), error->message));
      return;
    }

  if (run->done)
    {
      run->n_in_flight--;
      return;
    }

  g_set_object (&item->job, job);
  reason = reason_for_status (job, &code);

  if (reason != NULL)
    item_done (run, item, code, reason);
  else
    fetch_result (run, fetch->index);
}

static void
start_item (Run   *run,
            guint  index)
{
  Item *item = g_ptr_array_index (run->items, index);

  g_assert (run != NULL);
  g_assert (item->state == ITEM_PENDING);

  item->state = ITEM_FETCHING;
  run->n_in_flight++;

  if (item->job != NULL && vp_job_get_status (item->job) == VP_JOB_STATUS_COMPLETED)
    fetch_result (run, index);
  else
    vp_client_get_job_async (run->client, item->job_id, run->cancellable,
                             on_job_cb, fetch_new (run, index));
}

/* Starts what the limits allow, and tells the caller how far it is */
static void
pump (Run *run)
{
  g_assert (run != NULL);

  if (run->done)
    return;

  while (run->n_in_flight < MAX_IN_FLIGHT &&
         run->next_start < run->items->len &&
         run->next_start < run->next_write + WINDOW)
    start_item (run, run->next_start++);

  publish_progress (run);
}

static gboolean on_run_done_cb (gpointer data);

static gpointer
run_thread (gpointer data)
{
  Run *run = data;
  g_autoptr(GSource) source = NULL;

  g_main_context_push_thread_default (run->context);

  if (run->user_cancellable != NULL && g_cancellable_is_cancelled (run->user_cancellable))
    on_cancel_cb (run);
  /* The file is opened first: an unwritable path fails before any fetch */
  else if (!sink_open (&run->sink, run->file, &run->error) ||
           !write_head (run, &run->error))
    run_stop (run, NULL);
  else if (run->items->len == 0)
    write_ready (run);
  else
    pump (run);

  while (!run->done)
    g_main_context_iteration (run->context, TRUE);

  if (!run->committed)
    sink_abort (&run->sink);

  /* Nothing may call back once the run is gone: the retries waiting are
   * dropped, and the requests in flight, cancelled, come back. */
  for (guint i = 0; i < run->items->len; i++)
    {
      Item *item = g_ptr_array_index (run->items, i);

      if (item->retry != NULL)
        {
          g_source_destroy (item->retry);
          g_clear_pointer (&item->retry, g_source_unref);
          run->n_in_flight--;
        }
    }
  while (run->n_in_flight > 0)
    g_main_context_iteration (run->context, TRUE);
  if (run->progress_source != NULL)
    {
      g_source_destroy (run->progress_source);
      g_clear_pointer (&run->progress_source, g_source_unref);
    }

  g_main_context_pop_thread_default (run->context);

  source = g_idle_source_new ();
  g_source_set_callback (source, on_run_done_cb, run, NULL);
  g_source_attach (source, run->self->context);

  return NULL;
}

/* -------------------------------------------------------------------------
 * The caller's thread
 */

static void
set_n_fetched (VpExport *self,
               guint     n_fetched)
{
  if (self->n_fetched != n_fetched)
    {
      self->n_fetched = n_fetched;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FETCHED]);
    }
}

static void
set_n_written (VpExport *self,
               guint     n_written)
{
  if (self->n_written != n_written)
    {
      self->n_written = n_written;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_WRITTEN]);
    }
}

static gboolean
on_progress_cb (gpointer data)
{
  VpExport *self = data;
  guint written, fetched;

  /* First: news from now on schedule another round */
  g_atomic_int_set (&self->progress_scheduled, FALSE);

  if (self->finished)
    return G_SOURCE_REMOVE;

  /* Written first: it never passes fetched, so read this way round no
   * figure seen has more written than fetched */
  written = g_atomic_int_get (&self->run_written);
  fetched = g_atomic_int_get (&self->run_fetched);
  set_n_fetched (self, fetched);
  set_n_written (self, written);

  return G_SOURCE_REMOVE;
}

static gboolean
on_run_done_cb (gpointer data)
{
  Run *run = data;
  g_autoptr(VpExport) self = g_object_ref (run->self);
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  g_thread_join (run->thread);
  self->run = NULL;
  self->finished = TRUE;

  if (self->user_cancellable != NULL)
    {
      g_cancellable_disconnect (self->user_cancellable, self->cancelled_id);
      self->cancelled_id = 0;
    }

  self->n_exported = run->n_exported;
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);
      VpExportSkipped skipped;

      if (item->reason == NULL || item->state < ITEM_READY)
        continue;

      skipped.job_id = g_strdup (item->job_id);
      skipped.reason = g_strdup (item->reason);
      skipped.code = item->code;
      g_array_append_val (self->skipped, skipped);
    }

  set_n_fetched (self, run->n_fetched);
  set_n_written (self, run->n_exported);

  if (run->committed)
    g_task_return_boolean (task, TRUE);
  else if (run->error != NULL)
    g_task_return_error (task, g_steal_pointer (&run->error));
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             "%s", _("The export was cancelled"));

  run_free (run);

  return G_SOURCE_REMOVE;
}

/* -------------------------------------------------------------------------
 * GObject
 */

static void
vp_export_dispose (GObject *object)
{
  VpExport *self = (VpExport *) object;

  /* A run holds the export (its task does) until it has ended */
  g_assert (self->run == NULL);

  g_clear_object (&self->client);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (vp_export_parent_class)->dispose (object);
}

static void
vp_export_finalize (GObject *object)
{
  VpExport *self = (VpExport *) object;

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->skipped, g_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->user_cancellable);

  G_OBJECT_CLASS (vp_export_parent_class)->finalize (object);
}

static void
vp_export_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  VpExport *self = VP_EXPORT (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_FORMAT:
      g_value_set_enum (value, self->format);
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_MASK_PII:
      g_value_set_boolean (value, self->mask_pii);
      break;
    case PROP_N_TOTAL:
      g_value_set_uint (value, vp_export_get_n_total (self));
      break;
    case PROP_N_FETCHED:
      g_value_set_uint (value, self->n_fetched);
      break;
    case PROP_N_WRITTEN:
      g_value_set_uint (value, self->n_written);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_export_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  VpExport *self = VP_EXPORT (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_FORMAT:
      self->format = g_value_get_enum (value);
      break;
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;
    case PROP_MASK_PII:
      vp_export_set_mask_pii (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vp_export_class_init (VpExportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = vp_export_dispose;
  object_class->finalize = vp_export_finalize;
  object_class->get_property = vp_export_get_property;
  object_class->set_property = vp_export_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, VP_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FORMAT] =
    g_param_spec_enum ("format", NULL, NULL, VP_TYPE_EXPORT_FORMAT, VP_EXPORT_FORMAT_CSV,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MASK_PII] =
    g_param_spec_boolean ("mask-pii", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_TOTAL] =
    g_param_spec_uint ("n-total", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_FETCHED] =
    g_param_spec_uint ("n-fetched", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_WRITTEN] =
    g_param_spec_uint ("n-written", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
vp_export_init (VpExport *self)
{
  self->items = g_ptr_array_new_with_free_func (item_free);
  self->skipped = g_array_new (FALSE, FALSE, sizeof (VpExportSkipped));
  g_array_set_clear_func (self->skipped, skipped_clear);
}

/* -------------------------------------------------------------------------
 * Public API
 */

VpExport *
vp_export_new (VpClient       *client,
               VpExportFormat  format,
               GFile          *file)
{
  g_return_val_if_fail (VP_IS_CLIENT (client), NULL);
  g_return_val_if_fail (format == VP_EXPORT_FORMAT_CSV || format == VP_EXPORT_FORMAT_JSON, NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return g_object_new (VP_TYPE_EXPORT,
                       "client", client,
                       "format", format,
                       "file", file,
                       NULL);
}

VpClient *
vp_export_get_client (VpExport *self)
{
  g_return_val_if_fail (VP_IS_EXPORT (self), NULL);

  return self->client;
}

VpExportFormat
vp_export_get_format (VpExport *self)
{
  g_return_val_if_fail (VP_IS_EXPORT (self), VP_EXPORT_FORMAT_CSV);

  return self->format;
}

GFile *
vp_export_get_file (VpExport *self)
{
  g_return_val_if_fail (VP_IS_EXPORT (self), NULL);

  return self->file;
}

gboolean
vp_export_get_mask_pii (VpExport *self)
{
  g_return_val_if_fail (VP_IS_EXPORT (self), FALSE);

  return self->mask_pii;
}

void
vp_export_set_mask_pii (VpExport *self,
                        gboolean  mask_pii)
{
  g_return_if_fail (VP_IS_EXPORT (self));
  g_return_if_fail (!self->started);

  mask_pii = !!mask_pii;
  if (self->mask_pii != mask_pii)
    {
      self->mask_pii = mask_pii;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MASK_PII]);
    }
}

static void
add_item (VpExport   *self,
          const char *job_id,
          VpJob      *job)
{
  Item *item = g_new0 (Item, 1);

  item->job_id = g_strdup (job_id);
  /* The run's own: the caller's may change meanwhile, on its thread */
  item->job = job ? _vp_job_copy (job) : NULL;
  g_ptr_array_add (self->items, item);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TOTAL]);
}

void
vp_export_add_job (VpExport *self,
                   VpJob    *job)
{
  g_return_if_fail (VP_IS_EXPORT (self));
  g_return_if_fail (VP_IS_JOB (job));
  g_return_if_fail (!self->started);

  add_item (self, vp_job_get_id (job), job);
}

void
vp_export_add_job_id (VpExport   *self,
                      const char *job_id)
{
  g_return_if_fail (VP_IS_EXPORT (self));
  g_return_if_fail (job_id != NULL && *job_id != '\0');
  g_return_if_fail (!self->started);

  add_item (self, job_id, NULL);
}

void
vp_export_run_async (VpExport            *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  Run *run;

  g_return_if_fail (VP_IS_EXPORT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  self->context = g_main_context_ref_thread_default ();
  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, vp_export_run_async);
  /* Whether the file was written decides, even if cancelled at the end */
  g_task_set_check_cancellable (self->task, FALSE);

  run = g_new0 (Run, 1);
  run->self = g_object_ref (self);
  run->context = g_main_context_new ();
  run->client = vp_client_dup (self->client);
  run->cancellable = g_cancellable_new ();
  run->user_cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  run->items = g_ptr_array_ref (self->items);
  run->format = self->format;
  run->mask_pii = self->mask_pii;
  run->file = g_object_ref (self->file);
  run->sink.fd = -1;
  run->out = g_string_sized_new (FLUSH_SIZE + FLUSH_SIZE / 4);
  self->run = run;

  if (cancellable != NULL)
    {
      self->user_cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_cancellable_connect (cancellable,
                                                  G_CALLBACK (on_user_cancelled_cb),
                                                  run, NULL);
    }

  run->thread = g_thread_new ("vp-export", run_thread, run);
}

gboolean
vp_export_run_finish (VpExport      *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (VP_IS_EXPORT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

guint
vp_export_get_n_total (VpExport *self)
{
  g_return_val_if_fail (VP_IS_EXPORT (self), 0);

  return self->items->len;
}

guint
vp_export_get_n_fetched (VpExport *self)
{
  g_return_val_if_fail (VP_IS_EXPORT (self), 0);

  return self->n_fetched;
}

guint
vp_export_get_n_written (VpExport *self)
{
  g_return_val_if_fail (VP_IS_EXPORT (self), 0);

  return self->n_written;
}

guint
vp_export_get_n_exported (VpExport *self)
{
  g_return_val_if_fail (VP_IS_EXPORT (self), 0);

  return self->n_exported;
}

const VpExportSkipped *
vp_export_get_skipped (VpExport *self,
                       guint    *n_skipped)
{
  g_return_val_if_fail (VP_IS_EXPORT (self), NULL);

  if (n_skipped != NULL)
    *n_skipped = self->skipped->len;

  return (const VpExportSkipped *) (gpointer) self->skipped->data;
}

const char * const *
vp_export_get_csv_columns (void)
{
  return csv_columns;
}
