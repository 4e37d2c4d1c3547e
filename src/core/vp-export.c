/* vp-export.c: exporting jobs and their results to a CSV or JSON file
 *
 * Two sides:
 *  - the fetching side runs on the caller's main context: it keeps at most
 *    MAX_IN_FLIGHT requests in flight and at most WINDOW jobs
 *    fetched but not yet written, and hands the jobs over in selection
 *    order, whatever order they arrived in;
 *  - the writing side is a worker thread: it formats each job (parsing and
 *    masking are CPU work) and writes it into a temporary file beside the
 *    target, which it renames into place after the last job.  On any error
 *    or cancellation it deletes the temporary file instead.
 * The two talk through a GAsyncQueue one way and g_main_context_invoke()
 * the other way.  Both go in batches (jobs handed over HAND_BATCH at a
 * time, records written and acknowledged up to FLUSH_SIZE at a time), and
 * the writer wakes the fetching side only when it waits for
 * acknowledgements: on a small machine every wake-up of one takes the CPU
 * from the other, or from a server on the same machine.
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
#include "vp-json.h"
#include "vp-pii.h"

/* Requests handed to the client at once, at most.  The client's session
 * sends at most VP_EXPORT_MAX_CONCURRENT at a time and queues the others:
 * a connection that has delivered a body starts on the next request at
 * once, while that body is parsed, instead of idling until the parsed
 * result is back on this thread. */
#define MAX_IN_FLIGHT (2 * VP_EXPORT_MAX_CONCURRENT)
/* Jobs fetched (or being fetched) but not yet written, at most */
#define WINDOW (4 * VP_EXPORT_MAX_CONCURRENT)
/* Jobs handed to the writer at once, when there are that many ready */
#define HAND_BATCH VP_EXPORT_MAX_CONCURRENT
/* The writer writes records this much at a time when it has a backlog */
#define FLUSH_SIZE (64 * 1024)
/* Attempts at one request answered 429 */
#define MAX_ATTEMPTS 3
#define MAX_RETRY_DELAY 60

typedef enum {
  ITEM_PENDING,
  ITEM_FETCHING,
  ITEM_READY,
  ITEM_HANDED,
} ItemState;

typedef struct {
  char      *job_id;
  VpJob     *job;
  VpResult  *result;    /* JSON: parsed by the client */
  GBytes    *body;      /* CSV: parsed by the writer */
  char      *reason;    /* set when skipped, translated */
  const char *code;     /* set when skipped: a static, stable word */
  ItemState  state;
  guint      attempts;
} Item;

typedef enum {
  MSG_JOB,
  MSG_END,
  MSG_ABORT,
} MsgKind;

/* One job for the writer; everything in it is the writer's own */
typedef struct {
  MsgKind   kind;
  char     *job_id;
  char     *reason;
  const char *code;
  char     *job_json;
  char    **job_cells;
  VpResult *result;
  GBytes   *body;
} Msg;

typedef struct {
  VpExport       *self;         /* only to call back on @context */
  GMainContext   *context;
  GAsyncQueue    *queue;
  GCancellable   *cancellable;
  GFile          *file;
  VpExportFormat  format;
  gboolean        mask_pii;
  guint           n_exported;
  GPtrArray      *skipped;      /* Msg, for the JSON "skipped" array */
} Writer;

struct _VpExport
{
  GObject         parent_instance;

  VpClient       *client;
  VpExportFormat  format;
  GFile          *file;
  gboolean        mask_pii;

  GPtrArray      *items;
  GArray         *skipped;

  GMainContext   *context;
  GTask          *task;
  GCancellable   *cancellable;        /* ours: stops fetching and writing */
  GCancellable   *user_cancellable;
  gulong          cancelled_id;
  GAsyncQueue    *queue;
  GAsyncQueue    *acks;               /* Ack, from the writer */
  gint            acks_scheduled;     /* atomic: on_writer_acks_cb() is due */
  gint            acks_wanted;        /* atomic: wake this side for acks */
  GError         *fatal_error;

  guint           next_start;
  guint           next_hand;
  guint           n_in_flight;
  guint           n_acked;

  guint           n_fetched;
  guint           n_written;
  guint           n_exported;

  guint           started : 1;
  guint           finished : 1;
  guint           end_sent : 1;
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

  g_free (item->job_id);
  g_clear_object (&item->job);
  g_clear_object (&item->result);
  g_clear_pointer (&item->body, g_bytes_unref);
  g_free (item->reason);
  g_free (item);
}

static void
msg_free (gpointer data)
{
  Msg *msg = data;

  g_free (msg->job_id);
  g_free (msg->reason);
  g_free (msg->job_json);
  g_strfreev (msg->job_cells);
  g_clear_object (&msg->result);
  g_clear_pointer (&msg->body, g_bytes_unref);
  g_free (msg);
}

static Msg *
msg_new (MsgKind kind)
{
  Msg *msg = g_new0 (Msg, 1);

  msg->kind = kind;
  return msg;
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
 * The writer thread: formatting
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

/* The job's columns, taken on the main thread (a VpJob may change there) */
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
                   Msg        *msg,
                   VpAnalysis *a,
                   gboolean    mask_pii)
{
  g_autoptr(GString) record = g_string_new (NULL);
  const char *disclosure = NULL;

  g_assert (out != NULL);
  g_assert (msg->job_cells != NULL);

  for (guint i = 0; msg->job_cells[i] != NULL; i++)
    vp_csv_append_field (record, msg->job_cells[i],
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
 * The writer thread: reading a result for CSV
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
 * The writer thread: the file
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

/* The writer's word on one job, in selection order */
typedef struct {
  gboolean    exported;
  const char *code;     /* skipped: why */
  char       *reason;
} Ack;

static void
ack_free (gpointer data)
{
  Ack *ack = data;

  g_free (ack->reason);
  g_free (ack);
}

static gboolean on_writer_acks_cb (gpointer data);

static void
writer_free (gpointer data)
{
  Writer *writer = data;

  g_clear_object (&writer->self);
  g_clear_pointer (&writer->context, g_main_context_unref);
  g_clear_pointer (&writer->queue, g_async_queue_unref);
  g_clear_object (&writer->cancellable);
  g_clear_object (&writer->file);
  g_clear_pointer (&writer->skipped, g_ptr_array_unref);
  g_free (writer);
}

static gboolean
write_head (Writer  *writer,
            Sink    *sink,
            GError **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert (writer != NULL);

  if (writer->format == VP_EXPORT_FORMAT_CSV)
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
                              stamp, writer->mask_pii ? "true" : "false");
    }

  return sink_write (sink, out->str, out->len, writer->cancellable, error);
}

static gboolean
write_tail (Writer  *writer,
            Sink    *sink,
            GError **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert (writer != NULL);

  if (writer->format == VP_EXPORT_FORMAT_CSV)
    return TRUE;

  g_string_append (out, "\n],\"skipped\":[");
  for (guint i = 0; i < writer->skipped->len; i++)
    {
      Msg *msg = g_ptr_array_index (writer->skipped, i);

      g_string_append (out, i > 0 ? ",\n" : "\n");
      g_string_append (out, "{\"id\":");
      append_json_string (out, msg->job_id);
      g_string_append (out, ",\"code\":");
      append_json_string (out, msg->code);
      g_string_append (out, ",\"reason\":");
      append_json_string (out, msg->reason);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "]}\n");

  return sink_write (sink, out->str, out->len, writer->cancellable, error);
}

/* Appends the job's record to @out */
static gboolean
write_job (Writer      *writer,
           GString     *out,
           Msg         *msg,
           VpAnalysis  *analysis,
           GError     **error)
{
  g_assert (writer != NULL);
  g_assert (out != NULL);
  g_assert (msg != NULL);

  if (writer->format == VP_EXPORT_FORMAT_CSV)
    append_csv_record (out, msg, analysis, writer->mask_pii);
  else
    {
      g_string_append (out, writer->n_exported > 0 ? ",\n" : "\n");
      g_string_append (out, "{\"job\":");
      g_string_append (out, msg->job_json);
      g_string_append (out, ",\"result\":");
      if (!append_json_result (out, msg->result, writer->mask_pii, error))
        return FALSE;
      g_string_append_c (out, '}');
    }

  return TRUE;
}

/* @msg: the job skipped, if it was */
static Ack *
ack_new (gboolean  exported,
         Msg      *msg)
{
  Ack *ack = g_new0 (Ack, 1);

  ack->exported = exported;
  if (msg != NULL)
    {
      ack->code = msg->code;
      ack->reason = g_strdup (msg->reason);
    }

  return ack;
}

/* Writes what @out holds, then acknowledges the jobs in it (and those
 * skipped meanwhile): records are written a batch at a time when the
 * writer has a backlog, and the fetching side hears of them at once. */
static gboolean
flush (Writer     *writer,
       Sink       *sink,
       GString    *out,
       GPtrArray  *acks,
       GError    **error)
{
  VpExport *self = writer->self;

  g_assert (writer != NULL);

  if (out->len > 0)
    {
      if (!sink_write (sink, out->str, out->len, writer->cancellable, error))
        return FALSE;
      g_string_truncate (out, 0);
    }

  if (acks->len == 0)
    return TRUE;

  g_async_queue_lock (self->acks);
  for (guint i = 0; i < acks->len; i++)
    g_async_queue_push_unlocked (self->acks, g_ptr_array_index (acks, i));
  g_async_queue_unlock (self->acks);
  /* The queue has them now */
  g_free (g_ptr_array_steal (acks, NULL));

  /* The fetching side takes acks whenever it runs; it is woken only when
   * it waits for them (or for progress at the end).  One wake-up takes
   * whatever has piled up. */
  if (g_atomic_int_get (&self->acks_wanted) &&
      g_atomic_int_compare_and_exchange (&self->acks_scheduled, FALSE, TRUE))
    g_main_context_invoke_full (writer->context, G_PRIORITY_DEFAULT,
                                on_writer_acks_cb, g_object_ref (self), g_object_unref);

  return TRUE;
}

static void
writer_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *unused)
{
  Writer *writer = task_data;
  Sink sink = { .fd = -1 };
  g_autoptr(VpAnalysis) analysis = NULL;
  g_autoptr(GString) out = g_string_sized_new (FLUSH_SIZE + FLUSH_SIZE / 4);
  g_autoptr(GPtrArray) acks = g_ptr_array_new_with_free_func (ack_free);
  GError *error = NULL;

  if (!sink_open (&sink, writer->file, &error) || !write_head (writer, &sink, &error))
    goto failed;

  for (;;)
    {
      Msg *msg = g_async_queue_pop (writer->queue);

      if (msg->kind == MSG_ABORT || g_cancellable_is_cancelled (writer->cancellable))
        {
          msg_free (msg);
          g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The export was cancelled"));
          goto failed;
        }

      if (msg->kind == MSG_END)
        {
          msg_free (msg);
          break;
        }

      g_clear_object (&analysis);
      if (msg->reason == NULL && msg->body != NULL)
        {
          g_autoptr(GError) read_error = NULL;

          if (!read_analysis (msg->body, &analysis, &read_error))
            {
              msg->code = "result-not-fetched";
              msg->reason = g_strdup_printf (_("The result could not be fetched: %s"),
                                             read_error->message);
            }
        }

      if (msg->reason != NULL)
        {
          g_ptr_array_add (writer->skipped, msg);
          g_ptr_array_add (acks, ack_new (FALSE, msg));
        }
      else
        {
          if (!write_job (writer, out, msg, analysis, &error))
            {
              msg_free (msg);
              goto failed;
            }

          writer->n_exported++;
          msg_free (msg);
          g_ptr_array_add (acks, ack_new (TRUE, NULL));
        }

      /* Before waiting for more, or once there is enough */
      if ((out->len >= FLUSH_SIZE || g_async_queue_length (writer->queue) <= 0) &&
          !flush (writer, &sink, out, acks, &error))
        goto failed;
    }

  if (!flush (writer, &sink, out, acks, &error) ||
      !write_tail (writer, &sink, &error) || !sink_commit (&sink, writer->cancellable, &error))
    goto failed;

  sink_clear (&sink);
  g_task_return_boolean (task, TRUE);
  return;

failed:
  sink_abort (&sink);
  sink_clear (&sink);
  g_task_return_error (task, error);
}

/* -------------------------------------------------------------------------
 * The fetching side (caller's main context)
 */

typedef struct {
  VpExport *self;
  guint     index;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_object_unref (fetch->self);
  g_free (fetch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetch, fetch_free)

static Fetch *
fetch_new (VpExport *self,
           guint     index)
{
  Fetch *fetch = g_new0 (Fetch, 1);

  fetch->self = g_object_ref (self);
  fetch->index = index;
  return fetch;
}

static void pump (VpExport *self);
static void start_item (VpExport *self, guint index);

static void
fail_run (VpExport     *self,
          const GError *error)
{
  g_assert (VP_IS_EXPORT (self));
  g_assert (error != NULL);

  if (self->fatal_error == NULL)
    self->fatal_error = g_error_copy (error);

  g_cancellable_cancel (self->cancellable);
  g_async_queue_push (self->queue, msg_new (MSG_ABORT));
}

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

/* @code and @reason go together: both NULL, or both set */
static void
item_done (VpExport   *self,
           Item       *item,
           const char *code,
           char       *reason)
{
  g_assert (VP_IS_EXPORT (self));
  g_assert (item->state == ITEM_FETCHING);
  g_assert ((code == NULL) == (reason == NULL));

  item->state = ITEM_READY;
  g_free (item->reason);
  item->reason = reason;
  item->code = code;
  self->n_in_flight--;
  set_n_fetched (self, self->n_fetched + 1);
  pump (self);
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
  VpExport *self = fetch->self;
  Item *item = g_ptr_array_index (self->items, fetch->index);

  if (!self->finished && !g_cancellable_is_cancelled (self->cancellable))
    {
      self->n_in_flight--;
      item->state = ITEM_PENDING;
      start_item (self, fetch->index);
    }

  return G_SOURCE_REMOVE;
}

/* TRUE when the error was dealt with (retry, or the end of the run) */
static gboolean
handle_error (VpExport     *self,
              guint         index,
              const GError *error)
{
  Item *item = g_ptr_array_index (self->items, index);

  g_assert (VP_IS_EXPORT (self));

  if (self->finished || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (self->cancellable))
    {
      self->n_in_flight--;
      return TRUE;
    }

  if (g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_UNAUTHORIZED) ||
      g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_CANNOT_CONNECT) ||
      g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_INVALID_URL))
    {
      self->n_in_flight--;
      fail_run (self, error);
      return TRUE;
    }

  if (g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_RATE_LIMITED) &&
      ++item->attempts < MAX_ATTEMPTS)
    {
      guint delay = CLAMP (vp_client_error_get_retry_after (error), 1, MAX_RETRY_DELAY);
      g_autoptr(GSource) source = g_timeout_source_new_seconds (delay);

      g_debug ("Rate limited; trying job %s again in %u s", item->job_id, delay);
      g_source_set_callback (source, on_retry_cb, fetch_new (self, index),
                             (GDestroyNotify) fetch_free);
      g_source_attach (source, self->context);
      return TRUE;
    }

  return FALSE;
}

/* A result (parsed or as bytes) that did not come: retried or waited
 * for (handle_error()), else the job is skipped with the reason */
static void
result_failed (VpExport     *self,
               guint         index,
               const GError *error)
{
  Item *item = g_ptr_array_index (self->items, index);

  if (handle_error (self, index, error))
    return;

  if (g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_NOT_FOUND))
    item_done (self, item, "result-not-found",
               g_strdup (_("The result could not be found (404)")));
  else
    /* Translators: %s says why (already translated) */
    item_done (self, item, "result-not-fetched",
               g_strdup_printf (_("The result could not be fetched: %s"), error->message));
}

static void
on_result_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Fetch) fetch = user_data;
  VpExport *self = fetch->self;
  Item *item = g_ptr_array_index (self->items, fetch->index);
  g_autoptr(VpResult) vp_result = NULL;
  g_autoptr(GError) error = NULL;

  vp_result = vp_client_get_result_finish (VP_CLIENT (object), result, &error);

  if (vp_result == NULL)
    {
      result_failed (self, fetch->index, error);
      return;
    }

  if (self->finished)
    return;

  item->result = g_steal_pointer (&vp_result);
  item_done (self, item, NULL, NULL);
}

static void
on_result_bytes_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Fetch) fetch = user_data;
  VpExport *self = fetch->self;
  Item *item = g_ptr_array_index (self->items, fetch->index);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = vp_client_get_result_bytes_finish (VP_CLIENT (object), result, &error);

  if (body == NULL)
    {
      result_failed (self, fetch->index, error);
      return;
    }

  if (self->finished)
    return;

  item->body = g_steal_pointer (&body);
  item_done (self, item, NULL, NULL);
}

/* JSON needs the whole result, checked: the client parses it.  CSV needs
 * only the analysis: the writer reads it from the body. */
static void
fetch_result (VpExport *self,
              guint     index)
{
  Item *item = g_ptr_array_index (self->items, index);

  g_assert (VP_IS_EXPORT (self));

  if (self->format == VP_EXPORT_FORMAT_CSV)
    vp_client_get_result_bytes_async (self->client, item->job, self->cancellable,
                                      on_result_bytes_cb, fetch_new (self, index));
  else
    vp_client_get_result_async (self->client, item->job, self->cancellable,
                                on_result_cb, fetch_new (self, index));
}

static void
on_job_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Fetch) fetch = user_data;
  VpExport *self = fetch->self;
  Item *item = g_ptr_array_index (self->items, fetch->index);
  g_autoptr(VpJob) job = NULL;
  g_autoptr(GError) error = NULL;
  const char *code = NULL;
  char *reason;

  job = vp_client_get_job_finish (VP_CLIENT (object), result, &error);

  if (job == NULL)
    {
      if (handle_error (self, fetch->index, error))
        return;

      if (g_error_matches (error, VP_CLIENT_ERROR, VP_CLIENT_ERROR_NOT_FOUND))
        item_done (self, item, "job-not-found",
                   g_strdup (_("The job could not be found (404)")));
      else
        /* Translators: %s says why (already translated) */
        item_done (self, item, "job-not-fetched",
                   g_strdup_printf (_("The job could not be fetched: %s"), error->message));
      return;
    }

  if (self->finished)
    return;

  g_set_object (&item->job, job);
  reason = reason_for_status (job, &code);

  if (reason != NULL)
    item_done (self, item, code, reason);
  else
    fetch_result (self, fetch->index);
}

static void
start_item (VpExport *self,
            guint     index)
{
  Item *item = g_ptr_array_index (self->items, index);

  g_assert (VP_IS_EXPORT (self));
  g_assert (item->state == ITEM_PENDING);

  item->state = ITEM_FETCHING;
  self->n_in_flight++;

  if (item->job != NULL && vp_job_get_status (item->job) == VP_JOB_STATUS_COMPLETED)
    fetch_result (self, index);
  else
    vp_client_get_job_async (self->client, item->job_id, self->cancellable,
                             on_job_cb, fetch_new (self, index));
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

/* Hands the jobs whose turn has come to the writer, in selection order:
 * HAND_BATCH at a time, or what there is when nothing more is coming or
 * at the end.  (Each hand-over wakes the writer thread, which then takes
 * the CPU from the fetching or, on a small machine, from the server.)
 * Nothing waits for ever: every job in flight becomes ready. */
static void
hand_over (VpExport *self)
{
  guint n_ready = 0;

  g_assert (VP_IS_EXPORT (self));

  while (n_ready < HAND_BATCH &&
         self->next_hand + n_ready < self->items->len &&
         ((Item *) g_ptr_array_index (self->items, self->next_hand + n_ready))->state == ITEM_READY)
    n_ready++;
  if (n_ready < HAND_BATCH && self->n_in_flight > 0 &&
      self->next_hand + n_ready < self->items->len)
    return;

  while (self->next_hand < self->items->len)
    {
      Item *item = g_ptr_array_index (self->items, self->next_hand);
      Msg *msg;

      if (item->state != ITEM_READY)
        break;

      msg = msg_new (MSG_JOB);
      msg->job_id = g_strdup (item->job_id);
      msg->reason = g_strdup (item->reason);
      msg->code = item->code;
      if (item->reason == NULL)
        {
          if (self->format == VP_EXPORT_FORMAT_JSON)
            msg->job_json = job_json_new (item->job);
          else
            msg->job_cells = job_cells_new (item->job);
          msg->result = g_steal_pointer (&item->result);
          msg->body = g_steal_pointer (&item->body);
        }

      item->state = ITEM_HANDED;
      self->next_hand++;
      g_async_queue_push (self->queue, msg);
    }

  if (self->next_hand == self->items->len && !self->end_sent)
    {
      self->end_sent = TRUE;
      g_async_queue_push (self->queue, msg_new (MSG_END));
    }
}

static void take_acks (VpExport *self);

static void
pump (VpExport *self)
{
  gboolean wanted;

  g_assert (VP_IS_EXPORT (self));

  if (self->finished || g_cancellable_is_cancelled (self->cancellable))
    return;

  /* What the writer has acknowledged so far, without it waking us */
  take_acks (self);

  for (;;)
    {
      while (self->n_in_flight < MAX_IN_FLIGHT &&
             self->next_start < self->items->len &&
             self->next_start < self->n_acked + WINDOW)
        start_item (self, self->next_start++);

      hand_over (self);

      /* Woken by the writer only when waiting for it: the window is full,
       * or all is fetched (progress to the end).  Acks that came before
       * it could see this are taken here. */
      wanted = self->end_sent ||
               (self->next_start < self->items->len &&
                self->next_start >= self->n_acked + WINDOW);
      g_atomic_int_set (&self->acks_wanted, wanted);
      if (!wanted)
        break;

      {
        guint n_acked = self->n_acked;

        take_acks (self);
        if (self->n_acked == n_acked)
          break;
      }
    }
}

static void
take_acks (VpExport *self)
{
  guint n_written = self->n_written;
  Ack *ack;

  g_assert (VP_IS_EXPORT (self));

  while ((ack = g_async_queue_try_pop (self->acks)) != NULL)
    {
      /* Acknowledged in selection order: this is the next one */
      if (ack->reason != NULL && self->n_acked < self->items->len)
        {
          Item *item = g_ptr_array_index (self->items, self->n_acked);

          if (item->reason == NULL)
            {
              item->reason = g_steal_pointer (&ack->reason);
              item->code = ack->code;
            }
        }

      self->n_acked++;
      if (ack->exported)
        n_written++;
      ack_free (ack);
    }

  set_n_written (self, n_written);
}

static gboolean
on_writer_acks_cb (gpointer data)
{
  VpExport *self = data;

  /* First: a writer that acknowledges now schedules another round */
  g_atomic_int_set (&self->acks_scheduled, FALSE);

  if (self->finished)
    return G_SOURCE_REMOVE;

  pump (self);

  return G_SOURCE_REMOVE;
}

static void
on_user_cancelled_cb (GCancellable *cancellable,
                      gpointer      user_data)
{
  VpExport *self = user_data;

  /* May run in any thread: only thread-safe calls here */
  g_cancellable_cancel (self->cancellable);
  g_async_queue_push (self->queue, msg_new (MSG_ABORT));
}

static void
on_writer_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  VpExport *self = VP_EXPORT (object);
  Writer *writer = g_task_get_task_data (G_TASK (result));
  g_autoptr(GTask) task = g_steal_pointer (&self->task);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = g_task_propagate_boolean (G_TASK (result), &error);

  /* The writer's last words, if still on their way */
  take_acks (self);
  self->finished = TRUE;
  if (self->user_cancellable != NULL)
    {
      g_cancellable_disconnect (self->user_cancellable, self->cancelled_id);
      self->cancelled_id = 0;
    }
  /* Requests still in flight are of no use any more */
  g_cancellable_cancel (self->cancellable);

  self->n_exported = writer->n_exported;
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

  set_n_written (self, writer->n_exported);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else if (self->fatal_error != NULL)
    g_task_return_error (task, g_error_copy (self->fatal_error));
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/* -------------------------------------------------------------------------
 * GObject
 */

static void
vp_export_dispose (GObject *object)
{
  VpExport *self = (VpExport *) object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

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
  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_clear_pointer (&self->acks, g_async_queue_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->user_cancellable);
  g_clear_error (&self->fatal_error);

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
  self->cancellable = g_cancellable_new ();
  self->queue = g_async_queue_new_full (msg_free);
  self->acks = g_async_queue_new_full (ack_free);
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
  item->job = job ? g_object_ref (job) : NULL;
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
  g_autoptr(GTask) writer_task = NULL;
  Writer *writer;

  g_return_if_fail (VP_IS_EXPORT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  self->context = g_main_context_ref_thread_default ();
  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, vp_export_run_async);
  /* Whether the file was written decides, even if cancelled at the end */
  g_task_set_check_cancellable (self->task, FALSE);

  writer = g_new0 (Writer, 1);
  writer->self = g_object_ref (self);
  writer->context = g_main_context_ref (self->context);
  writer->queue = g_async_queue_ref (self->queue);
  writer->cancellable = g_object_ref (self->cancellable);
  writer->file = g_object_ref (self->file);
  writer->format = self->format;
  writer->mask_pii = self->mask_pii;
  writer->skipped = g_ptr_array_new_with_free_func (msg_free);

  if (cancellable != NULL)
    {
      self->user_cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_cancellable_connect (cancellable,
                                                  G_CALLBACK (on_user_cancelled_cb),
                                                  self, NULL);
    }

  /* The file is opened first: an unwritable path fails before any fetch. */
  writer_task = g_task_new (self, NULL, on_writer_done_cb, NULL);
  g_task_set_source_tag (writer_task, writer_thread);
  g_task_set_task_data (writer_task, writer, writer_free);
  g_task_run_in_thread (writer_task, writer_thread);

  pump (self);
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
