/* vp-pii.c: finding and masking spoken or written personal numbers
 *
 * The text is read as a sequence of "units": runs of digits and spoken
 * digit words ("four", "oh", "double five").  Units separated only by a
 * short separator (a space, a dash, a dot between digits, a comma between
 * spoken words, the brackets of a phone number) form one number, which is
 * then judged by its length, its shape and the words just before it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "vp-pii"

#include "config.h"

#include <string.h>

#include "vp-pii.h"

/* How far back (bytes, same line) the words that say what a number is are looked for */
#define CONTEXT_BYTES 48

typedef struct {
  gsize    start;
  gsize    end;
  gsize    word_end;   /* "double five": the end of "double", else == end */
  gsize    word2;      /* "double five": the start of "five", else == start */
  guint    n_digits;
  char     first_digit;
  gboolean is_word;
} Unit;

typedef struct {
  gsize start;
  gsize end;
} Range;

static const char * const digit_words[] = {
  "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
};

static const char * const tens_words[] = {
  "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
};

/* Words after a number that make it an amount or a time */
static const char * const not_pii_after[] = {
  "dollar", "dollars", "cent", "cents", "bucks", "percent", "euro", "euros",
  "pound", "pounds", "am", "pm", "o'clock", "oclock", "minutes", "hours",
  "seconds", "days", "months", "years",
};

static const char * const ssn_words[] = { "social", "ssn", "security number", NULL };
static const char * const account_words[] = {
  "account", "acct", "member number", "membership number", "policy",
  "routing", "reference number", "customer number", "iban", NULL,
};
static const char * const card_words[] = { "card", NULL };
static const char * const phone_words[] = {
  "phone", "call me", "reach me", "mobile", "cell", "text me", "callback", NULL,
};

static inline gboolean
is_alpha (char c)
{
  return g_ascii_isalpha (c);
}

static inline gboolean
is_digit (char c)
{
  return c >= '0' && c <= '9';
}

static gboolean
word_in (const char         *word,
         gsize               len,
         const char * const *list,
         gsize               n_list)
{
  g_assert (word != NULL);

  for (gsize i = 0; i < n_list; i++)
    if (strlen (list[i]) == len && g_ascii_strncasecmp (word, list[i], len) == 0)
      return TRUE;

  return FALSE;
}

/* The digit a spoken word stands for, or -1 */
static int
digit_word_value (const char *word,
                  gsize       len)
{
  g_assert (word != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (digit_words); i++)
    if (strlen (digit_words[i]) == len && g_ascii_strncasecmp (word, digit_words[i], len) == 0)
      return i;

  if (len == 2 && g_ascii_strncasecmp (word, "oh", 2) == 0)
    return 0;

  return -1;
}

static gsize
word_end (const char *text,
          gsize       i)
{
  g_assert (text != NULL);

  while (is_alpha (text[i]) || (text[i] == '\'' && is_alpha (text[i + 1])))
    i++;

  return i;
}

/* "forty nine", "ninety-nine": the digit word @i is part of a larger number */
static gboolean
follows_tens_word (const char *text,
                   gsize       i)
{
  gsize end;
  gsize start;

  g_assert (text != NULL);

  if (i < 2 || (text[i - 1] != ' ' && text[i - 1] != '-'))
    return FALSE;

  end = i - 1;
  start = end;
  while (start > 0 && is_alpha (text[start - 1]))
    start--;

  return word_in (text + start, end - start, tens_words, G_N_ELEMENTS (tens_words));
}

/* Whether @gap (the text between two units) still joins them into one number */
static gboolean
gap_joins (const char *gap,
           gsize       len,
           const Unit *before,
           const Unit *after)
{
  gboolean has_comma = FALSE;
  gboolean has_dot = FALSE;
  gboolean has_bracket = FALSE;

  g_assert (gap != NULL);

  if (len == 0 || len > 3)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      switch (gap[i])
        {
        case ' ':
        case '-':
          break;
        case ',':
          has_comma = TRUE;
          break;
        case '.':
          has_dot = TRUE;
          break;
        case '(':
        case ')':
          has_bracket = TRUE;
          break;
        default:
          return FALSE;
        }
    }

  /* "four one one one, one one one one" but not "items 1, 2 and 3" */
  if (has_comma && (!before->is_word || !after->is_word))
    return FALSE;
  /* "555.555.0123" but not "the end. 5 more" */
  if (has_dot && (before->is_word || after->is_word || len != 1))
    return FALSE;
  if (has_bracket && (before->is_word || after->is_word))
    return FALSE;

  return TRUE;
}

static gboolean
context_mentions (const char         *context,
                  const char * const *words)
{
  g_assert (context != NULL);

  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (context, words[i]) != NULL)
      return TRUE;

  return FALSE;
}

/* Money ("$49.99", "49 dollars"), percentages, times ("10 am") */
static gboolean
is_amount_or_time (const char *text,
                   gsize       start,
                   gsize       end)
{
  gsize i = start;
  gsize j = end;
  gsize k;

  g_assert (text != NULL);

  while (i > 0 && text[i - 1] == ' ')
    i--;
  if (i > 0 && text[i - 1] == '$')
    return TRUE;
  /* "€" and "£" in UTF-8 */
  if (i >= 3 && memcmp (text + i - 3, "\xe2\x82\xac", 3) == 0)
    return TRUE;
  if (i >= 2 && memcmp (text + i - 2, "\xc2\xa3", 2) == 0)
    return TRUE;

  while (text[j] == ' ')
    j++;
  if (text[j] == '%')
    return TRUE;
  k = word_end (text, j);

  return k > j && word_in (text + j, k - j, not_pii_after, G_N_ELEMENTS (not_pii_after));
}

/* The digits kept readable by an earlier masking ("•••• 1234") */
static gboolean
follows_mask (const char *text,
              gsize       start)
{
  gsize len = strlen (VP_PII_MASK_CHAR);

  g_assert (text != NULL);

  if (start > 0 && strchr (" -.,()", text[start - 1]) != NULL)
    start--;

  return start >= len && memcmp (text + start - len, VP_PII_MASK_CHAR, len) == 0;
}

static char *
dup_context (const char *text,
             gsize       start)
{
  gsize from = start > CONTEXT_BYTES ? start - CONTEXT_BYTES : 0;

  g_assert (text != NULL);

  for (gsize i = start; i > from; i--)
    if (text[i - 1] == '\n')
      {
        from = i;
        break;
      }

  /* ASCII-only lowering keeps byte offsets and copes with a cut in the
   * middle of a UTF-8 sequence. */
  return g_ascii_strdown (text + from, start - from);
}

static gboolean
all_digit_runs (const Unit *units,
                guint       n_units)
{
  for (guint i = 0; i < n_units; i++)
    if (units[i].is_word)
      return FALSE;

  return TRUE;
}

/* Digit runs of lengths @a, @b, @c (0 = any of 1 or 2) separated by one of @seps */
static gboolean
has_shape (const char *text,
           const Unit *units,
           guint       n_units,
           const char *seps,
           guint       a,
           guint       b,
           guint       c)
{
  const guint want[3] = { a, b, c };
  guint n_want = c ? 3 : 2;

  g_assert (text != NULL);

  if (n_units != n_want || !all_digit_runs (units, n_units))
    return FALSE;

  for (guint i = 0; i < n_units; i++)
    {
      if (want[i] == 0 ? units[i].n_digits > 2 : units[i].n_digits != want[i])
        return FALSE;
      if (i > 0 && (units[i].start - units[i - 1].end != 1 ||
                    strchr (seps, text[units[i - 1].end]) == NULL))
        return FALSE;
    }

  return TRUE;
}

static gboolean
classify (const char *text,
          const Unit *units,
          guint       n_units,
          guint       n_digits,
          VpPiiKind  *kind)
{
  g_autofree char *context = NULL;
  gboolean ssn_context, account_context, card_context, phone_context;

  g_assert (text != NULL);
  g_assert (n_units > 0);
  g_assert (kind != NULL);

  if (n_digits < 4)
    return FALSE;

  if (is_amount_or_time (text, units[0].start, units[n_units - 1].end) ||
      follows_mask (text, units[0].start))
    return FALSE;

  /* Dates: 2026-04-19, 19.04.2026, 4-19-2026 */
  if (has_shape (text, units, n_units, "-.", 4, 2, 2) ||
      has_shape (text, units, n_units, "-.", 0, 0, 4))
    return FALSE;

  context = dup_context (text, units[0].start);
  ssn_context = context_mentions (context, ssn_words);
  account_context = context_mentions (context, account_words);
  card_context = context_mentions (context, card_words);
  phone_context = context_mentions (context, phone_words);

  if (n_digits == 4)
    {
      /* "the last four of my social are 9557" */
      if (ssn_context)
        {
          *kind = VP_PII_SSN;
          return TRUE;
        }
      return FALSE;
    }

  if (n_digits == 9 && (ssn_context || has_shape (text, units, n_units, "- ", 3, 2, 4)))
    *kind = VP_PII_SSN;
  else if (n_digits >= 13 && n_digits <= 19 && !(account_context && !card_context))
    *kind = VP_PII_CARD_NUMBER;
  else if ((n_digits == 10 || (n_digits == 11 && units[0].first_digit == '1')) &&
           !(account_context && !phone_context))
    *kind = VP_PII_PHONE_NUMBER;
  else if (n_digits == 7 && (phone_context || has_shape (text, units, n_units, "-.", 3, 4, 0)))
    *kind = VP_PII_PHONE_NUMBER;
  else if (n_digits >= 6 && n_digits <= 17 && account_context)
    *kind = VP_PII_ACCOUNT_NUMBER;
  else if (n_digits >= 8)
    /* A long number nobody named: mask it rather than let it out */
    *kind = VP_PII_ACCOUNT_NUMBER;
  else
    return FALSE;

  return TRUE;
}

static void
add_range (GArray *ranges,
           gsize   start,
           gsize   end)
{
  Range range = { start, end };

  g_array_append_val (ranges, range);
}

/* The ranges that masking replaces by one mask character each: digits, and
 * digit words, all but the last @n_kept digits. */
static void
add_mask_ranges (const Unit *units,
                 guint       n_units,
                 guint       n_digits,
                 guint       n_kept,
                 GArray     *ranges)
{
  guint to_mask = n_digits - n_kept;

  g_assert (units != NULL);
  g_assert (ranges != NULL);

  for (guint i = 0; i < n_units && to_mask > 0; i++)
    {
      const Unit *unit = &units[i];

      if (!unit->is_word)
        {
          guint n = MIN (to_mask, unit->n_digits);

          for (guint d = 0; d < n; d++)
            add_range (ranges, unit->start + d, unit->start + d + 1);
          to_mask -= n;
        }
      else
        {
          /* A spoken unit is masked whole ("double five" -> "• •"), even
           * if that hides one digit more than necessary. */
          if (unit->word2 != unit->start)
            {
              add_range (ranges, unit->start, unit->word_end);
              add_range (ranges, unit->word2, unit->end);
            }
          else
            add_range (ranges, unit->start, unit->end);
          to_mask -= MIN (to_mask, unit->n_digits);
        }
    }
}

static void
flush_group (const char *text,
             GArray     *group,
             GArray     *spans,
             GArray     *ranges)
{
  const Unit *units = (const Unit *) (gpointer) group->data;
  guint n_digits = 0;
  VpPiiKind kind;

  g_assert (text != NULL);

  if (group->len == 0)
    return;

  for (guint i = 0; i < group->len; i++)
    n_digits += units[i].n_digits;

  if (classify (text, units, group->len, n_digits, &kind))
    {
      VpPiiSpan span = {
        .start = units[0].start,
        .end = units[group->len - 1].end,
        .kind = kind,
        .n_digits = n_digits,
        .n_kept = n_digits > VP_PII_KEEP_DIGITS ? VP_PII_KEEP_DIGITS : 0,
      };

      if (spans != NULL)
        g_array_append_val (spans, span);
      if (ranges != NULL)
        add_mask_ranges (units, group->len, n_digits, span.n_kept, ranges);
    }

  g_array_set_size (group, 0);
}

static void
add_unit (const char *text,
          GArray     *group,
          const Unit *unit,
          GArray     *spans,
          GArray     *ranges)
{
  g_assert (text != NULL);
  g_assert (unit != NULL);

  if (group->len > 0)
    {
      const Unit *last = &g_array_index (group, Unit, group->len - 1);

      if (!gap_joins (text + last->end, unit->start - last->end, last, unit))
        flush_group (text, group, spans, ranges);
    }

  g_array_append_val (group, *unit);
}

static void
scan (const char *text,
      GArray     *spans,
      GArray     *ranges)
{
  g_autoptr(GArray) group = g_array_new (FALSE, FALSE, sizeof (Unit));
  gsize i = 0;

  g_assert (text != NULL);

  while (text[i] != '\0')
    {
      char c = text[i];

      if (is_digit (c))
        {
          gsize j = i;
          gboolean identifier;

          while (is_digit (text[j]))
            j++;

          /* "25th", "4G", "AG-3420": part of a word or a code; "10:30",
           * "12/31", "1,234": part of a time, a date or an amount */
          identifier = (i > 0 && is_alpha (text[i - 1])) || is_alpha (text[j]) ||
                       (i > 1 && text[i - 1] == '-' && is_alpha (text[i - 2])) ||
                       (i > 1 && strchr (":/,", text[i - 1]) && is_digit (text[i - 2])) ||
                       (text[j] != '\0' && strchr (":/,", text[j]) && is_digit (text[j + 1]));
          if (identifier)
            flush_group (text, group, spans, ranges);
          else
            {
              Unit unit = {
                .start = i, .end = j, .word_end = j, .word2 = i,
                .n_digits = j - i, .first_digit = c, .is_word = FALSE,
              };
              add_unit (text, group, &unit, spans, ranges);
            }
          i = j;
        }
      else if (is_alpha (c))
        {
          gsize j = word_end (text, i);
          int value = digit_word_value (text + i, j - i);

          if (value >= 0 && !follows_tens_word (text, i) && !is_digit (text[j]))
            {
              Unit unit = {
                .start = i, .end = j, .word_end = j, .word2 = i,
                .n_digits = 1, .first_digit = '0' + value, .is_word = TRUE,
              };
              add_unit (text, group, &unit, spans, ranges);
            }
          else if ((j - i == 6 && g_ascii_strncasecmp (text + i, "double", 6) == 0) ||
                   (j - i == 6 && g_ascii_strncasecmp (text + i, "triple", 6) == 0))
            {
              gsize k = j;
              gsize l;
              int next;

              while (text[k] == ' ' || text[k] == '-')
                k++;
              l = word_end (text, k);
              next = l > k && k - j <= 2 ? digit_word_value (text + k, l - k) : -1;

              if (next >= 0)
                {
                  Unit unit = {
                    .start = i, .end = l, .word_end = j, .word2 = k,
                    .n_digits = g_ascii_tolower (text[i]) == 'd' ? 2 : 3,
                    .first_digit = '0' + next, .is_word = TRUE,
                  };
                  add_unit (text, group, &unit, spans, ranges);
                  j = l;
                }
              else
                flush_group (text, group, spans, ranges);
            }
          else
            flush_group (text, group, spans, ranges);

          i = j;
        }
      else
        i++;
    }

  flush_group (text, group, spans, ranges);
}

GArray *
vp_pii_find (const char *text)
{
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (VpPiiSpan));

  g_return_val_if_fail (text != NULL, spans);

  scan (text, spans, NULL);

  return spans;
}

/* Copies text[from, to) into @out, replacing @ranges (sorted) inside it */
static void
append_masked (GString      *out,
               const char   *text,
               gsize         from,
               gsize         to,
               const GArray *ranges,
               guint        *next_range)
{
  gsize pos = from;

  g_assert (out != NULL);
  g_assert (text != NULL);

  while (*next_range < ranges->len)
    {
      const Range *range = &g_array_index (ranges, Range, *next_range);

      if (range->start >= to)
        break;

      g_string_append_len (out, text + pos, range->start - pos);
      g_string_append (out, VP_PII_MASK_CHAR);
      pos = range->end;
      (*next_range)++;
    }

  g_string_append_len (out, text + pos, to - pos);
}

char *
vp_pii_mask (const char *text)
{
  g_autoptr(GArray) ranges = NULL;
  GString *out;
  guint next = 0;

  g_return_val_if_fail (text != NULL, NULL);

  ranges = g_array_new (FALSE, FALSE, sizeof (Range));
  scan (text, NULL, ranges);

  if (ranges->len == 0)
    return g_strdup (text);

  out = g_string_sized_new (strlen (text) + 2 * ranges->len);
  append_masked (out, text, 0, strlen (text), ranges, &next);

  return g_string_free (out, FALSE);
}

/* Where byte @offset of the original text is in the masked text: every
 * range before it shrank (or grew) to one mask character.  @next_range and
 * @delta carry the walk over, so a sorted series of offsets costs one pass. */
static gsize
masked_offset (const GArray *ranges,
               gsize         offset,
               guint        *next_range,
               gssize       *delta)
{
  gsize mask_len = strlen (VP_PII_MASK_CHAR);

  g_assert (ranges != NULL);

  while (*next_range < ranges->len)
    {
      const Range *range = &g_array_index (ranges, Range, *next_range);

      if (range->end > offset)
        break;

      *delta += (gssize) mask_len - (gssize) (range->end - range->start);
      (*next_range)++;
    }

  return (gsize) ((gssize) offset + *delta);
}

char *
vp_pii_mask_full (const char  *text,
                  GArray     **spans)
{
  g_autoptr(GArray) found = NULL;
  g_autoptr(GArray) ranges = NULL;
  GString *out;
  guint next = 0;
  gssize delta = 0;

  g_return_val_if_fail (text != NULL, NULL);

  found = g_array_new (FALSE, FALSE, sizeof (VpPiiSpan));
  ranges = g_array_new (FALSE, FALSE, sizeof (Range));
  scan (text, found, ranges);

  out = g_string_sized_new (strlen (text) + 2 * ranges->len);
  append_masked (out, text, 0, strlen (text), ranges, &next);

  /* Spans do not overlap and the ranges lie inside them, in order. */
  next = 0;
  for (guint i = 0; i < found->len; i++)
    {
      VpPiiSpan *span = &g_array_index (found, VpPiiSpan, i);

      span->start = masked_offset (ranges, span->start, &next, &delta);
      span->end = masked_offset (ranges, span->end, &next, &delta);
    }

  if (spans != NULL)
    *spans = g_steal_pointer (&found);

  return g_string_free (out, FALSE);
}

char **
vp_pii_mask_words (const char * const *words,
                   gsize               n_words)
{
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autoptr(GArray) ranges = g_array_new (FALSE, FALSE, sizeof (Range));
  g_autofree gsize *offsets = NULL;
  char **masked;
  guint next = 0;

  g_return_val_if_fail (words != NULL || n_words == 0, NULL);

  offsets = g_new (gsize, n_words + 1);
  for (gsize i = 0; i < n_words; i++)
    {
      if (i > 0)
        g_string_append_c (joined, ' ');
      offsets[i] = joined->len;
      g_string_append (joined, words[i] ? words[i] : "");
    }
  offsets[n_words] = joined->len + 1;

  scan (joined->str, NULL, ranges);

  masked = g_new0 (char *, n_words + 1);
  for (gsize i = 0; i < n_words; i++)
    {
      GString *word = g_string_new (NULL);
      gsize end = offsets[i + 1] - 1;

      append_masked (word, joined->str, offsets[i], end, ranges, &next);
      masked[i] = g_string_free (word, FALSE);
    }

  return masked;
}

const char *
vp_pii_kind_to_string (VpPiiKind kind)
{
  switch (kind)
    {
    case VP_PII_CARD_NUMBER:
      return "card number";
    case VP_PII_SSN:
      return "social security number";
    case VP_PII_PHONE_NUMBER:
      return "phone number";
    case VP_PII_ACCOUNT_NUMBER:
      return "account number";
    default:
      return "number";
    }
}
