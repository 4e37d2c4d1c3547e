/* vp-pii.h: finding and masking spoken or written personal numbers
 *
 * Card numbers, social security numbers, phone numbers and account numbers,
 * written as digits ("4111 1111 1111 1234", "212-555-0178") or spoken as
 * words ("four one one one, one one one one, ...", "oh" for zero, "double
 * five").  Times ("10:30"), money ("$49.99", "forty nine dollars"), dates
 * ("2026-04-19", "12/31") and years on their own are left alone.
 *
 * Masking format: every masked digit, and every masked spoken digit word,
 * becomes one "•" (U+2022); separators stay, and the last four digits stay
 * readable, except when the whole number has four digits or fewer (the
 * "last four of my social"), which is masked entirely:
 *
 *   "4111 1111 1111 1234"            -> "•••• •••• •••• 1234"
 *   "four one one one, one one ..."  -> "• • • •, • • ...,  one two three four"
 *   "my social are 9557"             -> "my social are ••••"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VP_PII_MASK_CHAR "\u2022"
/* How many trailing digits masking keeps readable */
#define VP_PII_KEEP_DIGITS 4

typedef enum {
  VP_PII_CARD_NUMBER,
  VP_PII_SSN,
  VP_PII_PHONE_NUMBER,
  VP_PII_ACCOUNT_NUMBER,
} VpPiiKind;

/**
 * VpPiiSpan:
 * @start: byte offset of the first digit (or digit word) of the number
 * @end: byte offset just past its last digit (or digit word)
 * @kind: what the number appears to be
 * @n_digits: how many digits it has, spoken ones included
 * @n_kept: how many of its last digits vp_pii_mask() leaves readable
 */
typedef struct {
  gsize     start;
  gsize     end;
  VpPiiKind kind;
  guint     n_digits;
  guint     n_kept;
} VpPiiSpan;

/* The numbers in @text, in order, as a GArray of VpPiiSpan (never NULL;
 * empty when there is none).  @text must be valid UTF-8. */
GArray      *vp_pii_find          (const char         *text);
/* @text with the digits of every number vp_pii_find() finds masked. */
char        *vp_pii_mask          (const char         *text);
/* Same as vp_pii_mask(), and sets @spans (if not NULL) to the numbers
 * vp_pii_find() finds in @text, with their offsets moved to where they are
 * in the masked text, so that a viewer can show the masked text and still
 * mark each number. */
char        *vp_pii_mask_full     (const char         *text,
                                   GArray            **spans);
/* Masks a transcript given as separate words (the result's "words"): they
 * are read together, as if joined by spaces, so a number spoken over many
 * words is found, and each word is masked in place.  Returns a new vector
 * of @n_words strings. */
char       **vp_pii_mask_words    (const char * const *words,
                                   gsize               n_words);
/* "card number", "social security number", "phone number", "account number" */
const char  *vp_pii_kind_to_string (VpPiiKind         kind);

G_END_DECLS
