/* test-pii.c: finding and masking card, social security, phone and account
 * numbers, spoken and written, and leaving times, money and dates alone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-pii"

#include "config.h"

#include <string.h>

#include "vp-pii.h"

#define MASK VP_PII_MASK_CHAR

typedef struct {
  const char *text;
  const char *number;   /* the text of the one span expected */
  VpPiiKind   kind;
  const char *masked;
} Case;

static const Case found_cases[] = {
  /* Cards: digits in groups, dashes, spoken words, "oh" */
  { "Okay, it's 4168 1975 6296 4655, and it expires 12/31.",
    "4168 1975 6296 4655", VP_PII_CARD_NUMBER,
    "Okay, it's " MASK MASK MASK MASK " " MASK MASK MASK MASK " " MASK MASK MASK MASK " 4655, and it expires 12/31." },
  { "card 4111-1111-1111-1234 please", "4111-1111-1111-1234", VP_PII_CARD_NUMBER,
    "card " MASK MASK MASK MASK "-" MASK MASK MASK MASK "-" MASK MASK MASK MASK "-1234 please" },
  { "It's 4111111111111234.", "4111111111111234", VP_PII_CARD_NUMBER,
    "It's " MASK MASK MASK MASK MASK MASK MASK MASK MASK MASK MASK MASK "1234." },
  { "it's four one one one, one one one one, one one one one, one two three four, and it expires",
    "four one one one, one one one one, one one one one, one two three four", VP_PII_CARD_NUMBER,
    "it's " MASK " " MASK " " MASK " " MASK ", " MASK " " MASK " " MASK " " MASK ", "
    MASK " " MASK " " MASK " " MASK ", one two three four, and it expires" },
  { "Four oh one two, double five one two, three three three three, nine eight seven six.",
    "Four oh one two, double five one two, three three three three, nine eight seven six", VP_PII_CARD_NUMBER,
    MASK " " MASK " " MASK " " MASK ", " MASK " " MASK " " MASK " " MASK ", "
    MASK " " MASK " " MASK " " MASK ", nine eight seven six." },
  /* Social security numbers: full, and the last four after "social" */
  { "My SSN is 123-45-6789.", "123-45-6789", VP_PII_SSN,
    "My SSN is " MASK MASK MASK "-" MASK MASK "-6789." },
  { "The last four of my social are 9557.", "9557", VP_PII_SSN,
    "The last four of my social are " MASK MASK MASK MASK "." },
  { "The last four of my social are nine five five seven.", "nine five five seven", VP_PII_SSN,
    "The last four of my social are " MASK " " MASK " " MASK " " MASK "." },
  /* Phone numbers */
  { "You can call me on 212-555-0178.", "212-555-0178", VP_PII_PHONE_NUMBER,
    "You can call me on " MASK MASK MASK "-" MASK MASK MASK "-0178." },
  { "Call (312) 555-0147 tomorrow", "312) 555-0147", VP_PII_PHONE_NUMBER,
    "Call (" MASK MASK MASK ") " MASK MASK MASK "-0147 tomorrow" },
  { "my cell is 1 800 555 0199", "1 800 555 0199", VP_PII_PHONE_NUMBER,
    "my cell is " MASK " " MASK MASK MASK " " MASK MASK MASK " 0199" },
  { "reach me at 555.201.0188 any time", "555.201.0188", VP_PII_PHONE_NUMBER,
    "reach me at " MASK MASK MASK "." MASK MASK MASK ".0188 any time" },
  { "my number is two one two, five five five, oh one seven eight",
    "two one two, five five five, oh one seven eight", VP_PII_PHONE_NUMBER,
    "my number is " MASK " " MASK " " MASK ", " MASK " " MASK " " MASK ", oh one seven eight" },
  /* Account numbers */
  { "Yes, my account number is 42931288.", "42931288", VP_PII_ACCOUNT_NUMBER,
    "Yes, my account number is " MASK MASK MASK MASK "1288." },
  { "account number four two nine three one two", "four two nine three one two", VP_PII_ACCOUNT_NUMBER,
    "account number " MASK " " MASK " nine three one two" },
  { "the account is 123456", "123456", VP_PII_ACCOUNT_NUMBER,
    "the account is " MASK MASK "3456" },
};

typedef struct {
  const char *text;
  const char *why;
} Clean;

static const Clean clean_cases[] = {
  { "I'll call you back at 10:30 tomorrow.", "a time" },
  { "Let's say at three thirty, or three oh five.", "spoken times" },
  { "It starts at 10 30 am", "a time with am" },
  { "That plan is $39.99 a month.", "money" },
  { "I'd like to pay $1,234.56 on the account today.", "money with a thousands separator" },
  { "It was forty nine ninety nine dollars.", "spoken money" },
  { "That's 4999 dollars on the account", "money in words after digits" },
  { "Your next billing date will be December 25th.", "an ordinal date" },
  { "My date of birth is March 3rd, 1975.", "a date of birth with a year" },
  { "Created 2026-04-19 19:13:18 and due 19.04.2026 or 4-19-2026.", "dates" },
  { "It expires 12/31 and the card on file ends 1234", "an expiry and a last four" },
  { "My agent ID is AG-3420 if you need it.", "an agent id" },
  { "About four years now, one or two times a week.", "counting words" },
  { "We need 25 lines, maybe 100 for 12 months, at 5% off.", "small numbers" },
  { "Order A1234567B is on its way, 4G and 5G both.", "codes inside words" },
  { "Hi, yes, it's Olivia Tanaka. Oh, one more thing.", "\"oh\" as a word" },
  { "", "empty text" },
  { "It's forty nine dollars, and I'll call back at ten thirty.", "the reader's spoken money and time" },
  { "That's $49.99, and the call is at 10:30, or 14:45:10.", "the reader's written money and times" },
};

static char *
span_text (const char      *text,
           const VpPiiSpan *span)
{
  return g_strndup (text + span->start, span->end - span->start);
}

static void
test_pii_found (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (found_cases); i++)
    {
      const Case *c = &found_cases[i];
      g_autoptr(GArray) spans = vp_pii_find (c->text);
      g_autofree char *masked = vp_pii_mask (c->text);
      g_autofree char *number = NULL;
      const VpPiiSpan *span;

      g_test_message ("%s", c->text);
      g_assert_cmpuint (spans->len, ==, 1);
      span = &g_array_index (spans, VpPiiSpan, 0);
      number = span_text (c->text, span);
      g_assert_cmpstr (number, ==, c->number);
      g_assert_cmpint (span->kind, ==, c->kind);
      g_assert_cmpstr (masked, ==, c->masked);

      /* Masking twice changes nothing more */
      {
        g_autofree char *again = vp_pii_mask (masked);
        g_assert_cmpstr (again, ==, masked);
      }
    }
}

static void
test_pii_clean (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (clean_cases); i++)
    {
      const Clean *c = &clean_cases[i];
      g_autoptr(GArray) spans = vp_pii_find (c->text);
      g_autofree char *masked = vp_pii_mask (c->text);

      g_test_message ("%s: %s", c->why, c->text);
      for (guint j = 0; j < spans->len; j++)
        {
          g_autofree char *number = span_text (c->text, &g_array_index (spans, VpPiiSpan, j));
          g_test_message ("unexpected: “%s”", number);
        }
      g_assert_cmpuint (spans->len, ==, 0);
      g_assert_cmpstr (masked, ==, c->text);
    }
}

/* vp_pii_mask_full() masks as vp_pii_mask() does and says where each
 * number went: the text around a number is left as it was, so the masked
 * number is what lies between the unchanged prefix and suffix. */
static void
test_pii_mask_full (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (found_cases); i++)
    {
      const Case *c = &found_cases[i];
      g_autoptr(GArray) found = vp_pii_find (c->text);
      g_autoptr(GArray) spans = NULL;
      g_autofree char *masked = vp_pii_mask_full (c->text, &spans);
      const VpPiiSpan *before = &g_array_index (found, VpPiiSpan, 0);
      const VpPiiSpan *after;
      gsize suffix = strlen (c->text) - before->end;

      g_test_message ("%s", c->text);
      g_assert_cmpstr (masked, ==, c->masked);
      g_assert_cmpuint (spans->len, ==, 1);
      after = &g_array_index (spans, VpPiiSpan, 0);
      g_assert_cmpuint (after->start, ==, before->start);
      g_assert_cmpuint (after->end, ==, strlen (masked) - suffix);
      g_assert_cmpint (after->kind, ==, before->kind);
      g_assert_cmpuint (after->n_digits, ==, before->n_digits);
    }

  for (guint i = 0; i < G_N_ELEMENTS (clean_cases); i++)
    {
      g_autoptr(GArray) spans = NULL;
      g_autofree char *masked = vp_pii_mask_full (clean_cases[i].text, &spans);

      g_assert_cmpstr (masked, ==, clean_cases[i].text);
      g_assert_cmpuint (spans->len, ==, 0);
    }

  /* Several numbers: each span, cut out of the masked text, holds masks */
  {
    const char *text =
      "Customer: my card is four one one one, one one one one, one one one one, one two three four.\n"
      "Customer: You can call me on 206-555-0136, at 10:30, for $49.99.\n";
    g_autoptr(GArray) spans = NULL;
    g_autofree char *masked = vp_pii_mask_full (text, &spans);
    g_autofree char *card = NULL;
    g_autofree char *phone = NULL;

    g_assert_cmpuint (spans->len, ==, 2);
    card = g_strndup (masked + g_array_index (spans, VpPiiSpan, 0).start,
                      g_array_index (spans, VpPiiSpan, 0).end - g_array_index (spans, VpPiiSpan, 0).start);
    phone = g_strndup (masked + g_array_index (spans, VpPiiSpan, 1).start,
                       g_array_index (spans, VpPiiSpan, 1).end - g_array_index (spans, VpPiiSpan, 1).start);
    g_assert_cmpstr (card, ==, MASK " " MASK " " MASK " " MASK ", " MASK " " MASK " " MASK " " MASK ", "
                                MASK " " MASK " " MASK " " MASK ", one two three four");
    g_assert_cmpstr (phone, ==, MASK MASK MASK "-" MASK MASK MASK "-0136");
    g_assert_nonnull (strstr (masked, "at 10:30, for $49.99."));
  }

  /* NULL spans is allowed */
  {
    g_autofree char *masked = vp_pii_mask_full ("card 4111 1111 1111 1234", NULL);
    g_assert_cmpstr (masked, ==, "card " MASK MASK MASK MASK " " MASK MASK MASK MASK " " MASK MASK MASK MASK " 1234");
  }
}

static void
test_pii_several (void)
{
  const char *text =
    "Agent: Can I have your account number, please?\n"
    "Customer: Yes, my account number is 49523182.\n"
    "Agent: What's the best phone number to reach you on?\n"
    "Customer: You can call me on 206-555-0136.\n"
    "Agent: That plan is $69.99 a month.\n"
    "Customer: The last four of my social are one two three four.\n";
  g_autoptr(GArray) spans = vp_pii_find (text);
  g_autofree char *masked = vp_pii_mask (text);

  g_assert_cmpuint (spans->len, ==, 3);
  g_assert_cmpint (g_array_index (spans, VpPiiSpan, 0).kind, ==, VP_PII_ACCOUNT_NUMBER);
  g_assert_cmpint (g_array_index (spans, VpPiiSpan, 1).kind, ==, VP_PII_PHONE_NUMBER);
  g_assert_cmpint (g_array_index (spans, VpPiiSpan, 2).kind, ==, VP_PII_SSN);
  g_assert_cmpuint (g_array_index (spans, VpPiiSpan, 0).n_digits, ==, 8);
  g_assert_cmpuint (g_array_index (spans, VpPiiSpan, 0).n_kept, ==, 4);
  g_assert_cmpuint (g_array_index (spans, VpPiiSpan, 2).n_kept, ==, 0);

  g_assert_null (strstr (masked, "49523182"));
  g_assert_nonnull (strstr (masked, MASK MASK MASK MASK "3182."));
  g_assert_nonnull (strstr (masked, MASK MASK MASK "-" MASK MASK MASK "-0136."));
  g_assert_nonnull (strstr (masked, "$69.99"));
  g_assert_nonnull (strstr (masked, "social are " MASK " " MASK " " MASK " " MASK "."));
  g_assert_true (g_utf8_validate (masked, -1, NULL));
}

static void
test_pii_words (void)
{
  const char *words[] = {
    "my", "card", "is", "four", "one", "one", "one", "one", "one", "one", "one",
    "5500", "0000", "1234", "and", "4000", "0000", "0000", "0002", "thanks",
  };
  const char *expected[] = {
    "my", "card", "is", MASK, MASK, MASK, MASK, MASK, MASK, MASK, MASK,
    MASK MASK MASK MASK, MASK MASK MASK MASK, "1234", "and", MASK MASK MASK MASK, MASK MASK MASK MASK,
    MASK MASK MASK MASK, "0002", "thanks",
  };
  g_auto(GStrv) masked = vp_pii_mask_words (words, G_N_ELEMENTS (words));

  /* "four one ... one 5500 0000 1234": 8 spoken digits and 12 written ones
   * make one 20-digit number: too long for a card, masked all the same. */
  g_assert_cmpuint (g_strv_length (masked), ==, G_N_ELEMENTS (words));
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    g_assert_cmpstr (masked[i], ==, expected[i]);

  {
    g_auto(GStrv) none = vp_pii_mask_words (NULL, 0);
    g_assert_cmpuint (g_strv_length (none), ==, 0);
  }
}

static void
test_pii_hostile (void)
{
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autoptr(GArray) spans = NULL;
  g_autofree char *masked = NULL;

  /* A 10,000-digit number and invalid-looking punctuation runs */
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (long_text, '0' + i % 10);
  g_string_append (long_text, " ,,,--- ((( ))) one, , two - - three");

  spans = vp_pii_find (long_text->str);
  g_assert_cmpuint (spans->len, ==, 1);
  g_assert_cmpuint (g_array_index (spans, VpPiiSpan, 0).n_digits, ==, 10000);
  masked = vp_pii_mask (long_text->str);
  g_assert_true (g_str_has_suffix (masked, "6789 ,,,--- ((( ))) one, , two - - three"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pii/found", test_pii_found);
  g_test_add_func ("/pii/clean", test_pii_clean);
  g_test_add_func ("/pii/several", test_pii_several);
  g_test_add_func ("/pii/mask-full", test_pii_mask_full);
  g_test_add_func ("/pii/words", test_pii_words);
  g_test_add_func ("/pii/hostile", test_pii_hostile);

  return g_test_run ();
}
