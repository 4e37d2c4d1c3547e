/* vp-generator.c: deterministic generator of VoxParse jobs and results
 *
 * Each job and each result draws from its own splitmix64 stream derived
 * from (seed, index), so any job can be made on its own, in any order, and
 * always comes out the same.  Calls are written from per-call-type
 * templates: a greeting (with or without the recording disclosure), a
 * verification step in which the customer may share PII, the problem,
 * money talk, filler exchanges up to the length of the call, the outcome
 * and a goodbye.  The analysis is derived from the same choices, so it
 * agrees with what is said.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "vp-generator"

#include "config.h"

#include <math.h>
#include <string.h>

#include "vp-generator.h"

struct _VpGenerator
{
  guint64 seed;
};

/* ------------------------------------------------------------------ */
/* Random numbers                                                      */

typedef struct
{
  guint64 state;
} Rng;

static guint64
mix64 (guint64 z)
{
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static guint64
rng_next (Rng *rng)
{
  rng->state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  return mix64 (rng->state);
}

static void
rng_init (Rng     *rng,
          guint64  seed,
          guint64  index,
          guint64  stream)
{
  rng->state = mix64 (seed ^ mix64 (index * 4 + stream + G_GUINT64_CONSTANT (0x632BE59BD9B4E019)));
}

/* uniform in [0, n) */
static guint
rng_below (Rng   *rng,
           guint  n)
{
  g_assert (n > 0);
  return (guint) ((rng_next (rng) >> 32) * n >> 32);
}

/* uniform in [lo, hi] */
static int
rng_range (Rng *rng,
           int  lo,
           int  hi)
{
  g_assert (hi >= lo);
  return lo + (int) rng_below (rng, (guint) (hi - lo + 1));
}

/* TRUE with probability @percent / 100 */
static gboolean
rng_chance (Rng  *rng,
            guint percent)
{
  return rng_below (rng, 100) < percent;
}

static double
rng_double (Rng *rng)
{
  return (rng_next (rng) >> 11) * (1.0 / 9007199254740992.0);
}

#define PICK(rng, array) ((array)[rng_below ((rng), G_N_ELEMENTS (array))])

/* ------------------------------------------------------------------ */
/* Word lists                                                          */

static const char * const first_names[] = {
  "Maria", "James", "Priya", "José", "Zoë", "Liam", "Aisha", "Chen",
  "Olivia", "Mohammed", "Siobhán", "Björn", "Emma", "Kwame", "Chloé",
  "Lukas", "Fatima", "Noah", "Renée", "Hiroshi", "Ana", "David",
  "Łukasz", "Sofia", "Jürgen", "Grace", "Mateo", "Ingrid", "Tomás",
  "Amara", "Daniel", "Yuki", "Hannah", "Omar", "Eleanor", "Raúl",
};

static const char * const last_names[] = {
  "Müller", "Ångström", "Lopez", "Smith", "Nguyen", "O'Brien", "Patel",
  "Kowalski", "García", "Johnson", "Dvořák", "Okafor", "Schmidt", "Tanaka",
  "Williams", "Brown", "Novák", "Jensen", "Rossi", "Haddad", "Fernández",
  "Kim", "Martin", "Lindqvist", "Chatterjee", "Moreau", "Svensson",
};

static const char * const companies[] = {
  "Acme Logistics", "Northwind Traders", "Müller & Söhne GmbH",
  "Blue Harbor Dental", "Pinecrest Realty", "Bob's Bikes",
  "Café Lumière", "Greenfield Farms", "Orbit Software", "Hartley & Co.",
  "The \"Corner\" Bakery", "Riverbend Clinic", "Summit Legal Partners",
  "Nordlys AS", "Sunrise Florists", "Atlas Plumbing",
};

static const char * const brands[] = {
  "Brightline Internet", "Northstar Energy", "Cloudnest Hosting",
  "Horizon Mobile", "Evergreen Insurance", "Streamly",
};

static const char * const email_domains[] = {
  "gmail.com", "outlook.com", "example.com", "fastmail.fm", "yahoo.com",
};

static const char * const area_codes[] = {
  "212", "312", "415", "617", "702", "206", "303", "512",
};

static const char * const digit_words[] = {
  "zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
  "nine",
};

static const char * const months[] = {
  "January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December",
};

static const char * const error_messages[] = {
  "Audio file could not be decoded",
  "Recording is silent",
  "Unsupported audio codec",
  "Audio file is empty",
  "Transcription timed out after 3 attempts",
};

static const char * const call_type_names[] = {
  "retention", "sales", "support", "billing", "complaint",
};

static const char * const departments[] = {
  "Customer Retention", "Sales", "Technical Support", "Billing",
  "Customer Relations",
};

typedef enum {
  OUTCOME_RESOLVED,
  OUTCOME_PARTIAL,
  OUTCOME_ESCALATED,
  OUTCOME_UNRESOLVED,
} Outcome;

static const char * const outcome_names[] = {
  "resolved", "partial", "escalated", "unresolved",
};

typedef enum {
  MOOD_POSITIVE,
  MOOD_NEGATIVE,
  MOOD_NEUTRAL,
} Mood;

static const char * const mood_names[] = { "positive", "negative", "neutral" };

typedef enum {
  AGENT_GOOD,
  AGENT_NEUTRAL,
  AGENT_POOR,
} AgentPerf;

static const char * const perf_names[] = { "good", "neutral", "poor" };

enum {
  PII_ACCOUNT = 1 << 0,
  PII_DOB     = 1 << 1,
  PII_SSN     = 1 << 2,
  PII_PHONE   = 1 << 3,
  PII_EMAIL   = 1 << 4,
  PII_CARD    = 1 << 5,
};

/* ------------------------------------------------------------------ */
/* Scenarios                                                           */

typedef struct
{
  const char *issue;      /* key issue */
  const char *summary;    /* "called to ..." */
  const char *opening;    /* what the customer says first */
  const char *details[4]; /* agent, customer, agent, customer */
  const char *action;     /* follow-up when not resolved on the call */
} Scenario;

static const Scenario retention_scenarios[] = {
  { "Monthly price increased", "called to cancel after a price increase",
    "I'm calling to cancel my subscription. The price went up again this month and I just can't justify it anymore.",
    { "I understand. Can I ask how long you've been with us?",
      "About four years now. I've always paid on time.",
      "And is it mainly the price, or is there anything else about the service?",
      "Mostly the price. The service itself has been fine." },
    "Send the customer a written summary of the retention offer" },
  { "Competitor offering a lower rate", "was considering a competitor's cheaper offer",
    "I got an offer from another provider that's a lot cheaper, so I'm thinking about switching.",
    { "I appreciate you calling us first. What are they offering you?",
      "Basically the same speed for about fifteen dollars less a month.",
      "Is that an introductory price, or is it for the whole contract?",
      "I think it's for the first year, then it goes up." },
    "Review competitor pricing with the retention team" },
  { "Wants to end the contract before moving", "wanted to end the contract because of a move",
    "I'm moving next month and I was going to cancel my service before I go.",
    { "Congratulations on the move. Do you know where you're moving to yet?",
      "Yes, just across town, about ten miles from here.",
      "We may well cover that address. Would you be open to moving the service instead of cancelling?",
      "Maybe, if it's not a big hassle and there's no extra fee." },
    "Check service availability at the new address" },
};

static const Scenario sales_scenarios[] = {
  { "Interested in upgrading to a faster plan", "asked about upgrading to a faster plan",
    "Hi, I'm working from home a lot more now and I wanted to ask about a faster plan.",
    { "Of course. How many people are using the connection at the same time?",
      "Usually three of us, and two are on video calls most of the day.",
      "Then I'd recommend our Premium plan. It's symmetrical, so uploads are just as fast.",
      "That sounds like what we need. Is there a contract?" },
    "Email the Premium plan details and contract terms" },
  { "Adding lines for a small business", "wanted to add lines for their small business",
    "We're opening a second location and we need four more lines for the staff there.",
    { "Great to hear the business is growing. Do you want them on the same account?",
      "Yes, one bill for everything would be easiest.",
      "I can set that up. Would you like the business bundle with the shared data pool?",
      "What's the difference compared to what we have now?" },
    "Prepare a quote for the additional business lines" },
  { "Questions about the annual plan discount", "asked about switching to annual billing",
    "I saw on your website that there's a discount if I pay for the year up front.",
    { "That's right. Annual billing saves you about two months compared to monthly.",
      "And would I lose anything if I switch in the middle of my current month?",
      "No, we prorate the rest of this month, so you only pay for what you use.",
      "Okay, that sounds fair." },
    "Confirm the switch to annual billing by email" },
};

static const Scenario support_scenarios[] = {
  { "Internet connection drops every evening", "reported that their internet connection drops every evening",
    "My internet keeps dropping, mostly in the evenings, and it's been going on for about a week.",
    { "I'm sorry about that. Which lights are showing on the router right now?",
      "The power light is green, and the internet light keeps blinking orange.",
      "Have you tried restarting it by unplugging it for about thirty seconds?",
      "Yes, I did that twice yesterday. It helps for an hour or so." },
    "Schedule a technician visit to check the line" },
  { "Cannot log in to the customer portal", "could not log in to the customer portal",
    "I can't log in to my account online. It keeps saying my password is wrong, but I know it's right.",
    { "Let's get you back in. Are you using the website or the mobile app?",
      "The website, on my laptop.",
      "Could you try the reset link on the login page while I stay on the line?",
      "Okay, I'm clicking it now. Right, the email just came in." },
    "Reset the portal account and send new login instructions" },
  { "Email not syncing on the phone", "reported that email stopped syncing on their phone",
    "My work email stopped syncing on my phone two days ago, and I'm missing messages from clients.",
    { "Understood. Did anything change on the phone around that time, like an update?",
      "Now that you mention it, yes, the phone installed an update on Monday.",
      "Some updates reset the mail settings. Can you open the account settings for me?",
      "Alright, I'm in the settings now." },
    "Send the customer the updated mail server settings" },
};

static const Scenario billing_scenarios[] = {
  { "Unexpected charge on the latest bill", "questioned an unexpected charge on their latest bill",
    "I'm looking at my bill and there's a charge on there that I don't recognize.",
    { "Let me take a look at that with you. Which charge are you seeing?",
      "It says equipment fee, and I've never had that before.",
      "I see it. It looks like it was added when the router was replaced last month.",
      "Nobody told me there would be a fee for that." },
    "Review the equipment fee with the billing team" },
  { "Payment failed and account is overdue", "called about a failed payment and an overdue balance",
    "I got a text saying my payment failed and my account is overdue. I want to sort it out before anything gets cut off.",
    { "Thanks for calling so quickly. It looks like the automatic payment was declined.",
      "I changed banks last month, so that's probably why.",
      "That would explain it. We can take care of the balance today and update the payment details.",
      "Yes, let's do that." },
    "Update the automatic payment details on the account" },
  { "Wants to change the billing date", "asked to change their billing date",
    "Can I change the date my bill comes out? It's due right before I get paid, and it's been tight.",
    { "Absolutely, we can move that. When do you usually get paid?",
      "On the first of the month, so anything after that works.",
      "Let me check which dates are available for your account.",
      "Thank you, that would really help." },
    "Confirm the new billing date in writing" },
};

static const Scenario complaint_scenarios[] = {
  { "Technician missed the scheduled appointment", "complained that a technician missed the appointment",
    "I took the whole day off work for a technician and nobody showed up. Nobody even called.",
    { "I'm very sorry. Can you tell me the date of the appointment?",
      "It was yesterday, between eight and noon. I waited until three.",
      "I can see the appointment here, and there's no note from the technician.",
      "So what happened? I lost a day's pay for this." },
    "Investigate the missed appointment with field operations" },
  { "Rude treatment on a previous call", "complained about how they were treated on a previous call",
    "I called last week and the person I spoke to was really rude and hung up on me.",
    { "I'm sorry that happened. Do you remember roughly when you called?",
      "Last Thursday afternoon, around four.",
      "Thank you. I'll make sure that call gets reviewed. What was the call about?",
      "I was just asking why my service was slow, and he said it was my problem." },
    "Forward the complaint about the previous call to a team leader" },
  { "Service outage lasted several days", "complained about a service outage that lasted several days",
    "My service was out for three days last week and I want to know what you're going to do about it.",
    { "I'm sorry about the outage. I can see there was a fault in your area.",
      "Three days, though. I run my business from home.",
      "I understand that's a serious disruption. Let me see what we can offer for the lost time.",
      "I think I'm owed more than an apology at this point." },
    "Apply an outage credit once approved" },
};

static const Scenario * const scenarios[] = {
  retention_scenarios, sales_scenarios, support_scenarios,
  billing_scenarios, complaint_scenarios,
};

/* Filler exchanges that give a call its length: lines separated by '|',
 * agent first, then alternating.  A leading '~' puts the customer on hold
 * after the exchange. */
static const char * const filler_generic[] = {
  "~Can you hold for a moment while I check that?|Sure, go ahead.",
  "~I need to check something with a colleague. Is it okay if I put you on a short hold?|Yes, that's fine.",
  "Thanks for holding. I'm still going through the notes on your account.|Okay, no problem.",
  "Do you remember roughly when this started?|I think it was about two weeks ago, maybe a bit more.",
  "And has anything changed on your side since then?|Not that I know of, no.",
  "Just so I have the full picture, is this the only account you have with us?|Yes, just the one. My partner used to have one too, but we closed it last year.",
  "I'm adding a note to the account so anyone you speak to can see it.|Good, I don't want to explain it all again.",
  "My system is a little slow today, so bear with me.|That's fine, take your time.|Thank you. It's just loading your history now.",
  "Would you prefer updates by email or by text message?|Email is better for me. I don't always see my texts during the day.",
  "Sorry, you broke up a little there. Could you say that again?|Sorry, I'm in the car. Is that better?|Yes, that's much better, thank you.",
  "While that loads, is there a good time of day to reach you if we need to call back?|Mornings are best, before about eleven.|Noted, I'll put that on the account.",
  "Let me just read back what I've written so far, to make sure I've got it right.|Okay.|You called because of the problem we discussed, and you'd like it sorted without another call. Is that fair?|Yes, that's exactly it.",
};

static const char * const filler_by_type[5][6] = {
  { /* retention */
    "What would make you want to stay with us?|Honestly, a better price would go a long way. I don't want the hassle of switching if I can avoid it.",
    "Are you using all the features on your current plan?|Not really, I mostly just use the basics.|Then you may be paying for things you don't need.",
    "We could also move you to a smaller plan if that suits you better.|Maybe. What would I lose?|You'd keep the same speed, but without the premium channels.|I barely watch those anyway.",
    "I can see you've never missed a payment, which we really appreciate.|Thanks, I try to keep on top of it.",
    "Can I ask what the other provider's contract looks like?|I think it's twelve months, and then it goes to their standard price.|That's quite common. Our offer wouldn't change after twelve months unless you change plans.",
    "If you did leave, you'd need to send the equipment back within thirty days.|Right, I didn't know that.|We'd send you a prepaid box, so it's not much trouble.",
  },
  { /* sales */
    "Do you already have the equipment, or would you need a new router?|I think the one we have is quite old.|The new router is included at no extra cost with this plan.|Oh, that's good to know.",
    "Installation usually takes about an hour.|Can it be done on a Saturday?|Yes, we have Saturday slots available.|Great, that makes it easier.",
    "Would you like to add the security package as well?|What does that include?|Antivirus for up to five devices and parental controls.|I'll skip it for now, but thanks.",
    "Is there anything you're unhappy with on your current setup?|The upload is really slow when I send big files to clients.|This plan would make a big difference there.",
    "There's also a thirty-day satisfaction guarantee.|So I can cancel if it's not right?|Exactly, with no cancellation fee in the first thirty days.",
    "Do you want to keep the same email addresses?|Yes, definitely.|Nothing changes there, they all carry over.",
  },
  { /* support */
    "Can you check whether the cable at the back is firmly plugged in?|Hang on. Yes, it's clicked in.",
    "~I'm going to run a line test from my side now. Just leave everything connected for a minute.|Alright, I'm not touching it.",
    "The test shows some noise on the line, which could explain the problem.|What does that mean exactly?|It usually means a loose connection somewhere between the street and your house.",
    "Are other devices in the house affected as well?|Yes, the television and my son's computer too.",
    "Could you tell me what the screen says right now?|It says connecting, and then it just spins.|Okay, that's useful, thank you.",
    "I'm going to send a refresh signal to your equipment. The lights will flash for a moment.|Okay, they're flashing now.|Good. Give it about a minute to settle.",
  },
  { /* billing */
    "Would you like me to go through the bill line by line?|Yes please, I find it really confusing.|This first line is your monthly plan, then the taxes and fees.|And the fees are the same every month?|Most of them are, yes, unless you add a service.",
    "Would you like to switch to paperless billing while we're here?|Sure, that's fine.",
    "I can also set up a reminder a few days before each payment.|That would actually be helpful.",
    "Can I ask how you normally pay the bill?|It used to come straight out of my bank account.|Okay, that's the automatic payment we talked about.",
    "Just so you know, late fees are waived if the balance is cleared within ten days.|Good, because I didn't want to pay extra for this.",
    "I can see the previous three bills here, and they were all the same amount.|Yes, it's only this one that looked different.",
  },
  { /* complaint */
    "I want to make sure I record this properly. Can you walk me through it again?|Fine. It started when I first called about this, and it's been one thing after another since.",
    "I completely understand why you're upset.|I just want someone to take responsibility.",
    "I'm going to document everything you've told me.|Please do, because last time nothing happened.",
    "Is there anything else about the experience you'd like me to note?|Only that I've been a customer for years, and I've never had to complain before.",
    "~I'm checking whether there are any other reports like this. Could you bear with me?|Go ahead. I'd be surprised if I'm the only one.",
    "Would you like a written copy of the complaint for your records?|Yes, send it to me, please.|I'll make sure that goes out today.",
  },
};

/* What each outcome sounds like, per call type: agent then customer line,
 * the agreement and the action item. */
typedef struct
{
  const char *agent;
  const char *agreement;
  const char *action;
} OutcomeText;

static const OutcomeText outcome_texts[5][4] = {
  { /* retention */
    { "I've applied that rate, so you'll see it from your next bill.", "Customer will stay on the discounted rate", "Apply the loyalty rate from the next billing cycle" },
    { "I'll put that offer on hold for a week so you have time to think it over.", "Customer will decide on the offer within a week", "Follow up with the customer in one week" },
    { "I'm going to pass this to my supervisor, who can approve a bigger discount.", "Supervisor will call the customer back", "Supervisor to review the retention offer" },
    { "I'm sorry we couldn't keep you. I've processed the cancellation.", "Service will be cancelled at the end of the billing period", "Send the cancellation confirmation and equipment return label" },
  },
  { /* sales */
    { "That's all set up. You'll get a confirmation email in a few minutes.", "Customer signed up for the new plan", "Send the order confirmation" },
    { "I've saved the quote on your account, and you can confirm whenever you're ready.", "Quote will be held for thirty days", "Follow up on the saved quote" },
    { "For this many lines I need to bring in our business accounts team.", "Business team will prepare a custom offer", "Business accounts team to contact the customer" },
    { "I understand. Nothing has been changed on your account.", "No changes made to the account", "None" },
  },
  { /* support */
    { "The connection looks stable now, and the line test is clean.", "Customer will call back if the problem returns", "Monitor the line for forty-eight hours" },
    { "I've fixed the settings, but the line still needs a technician to look at it.", "Technician visit to be booked", "Book a technician visit" },
    { "I'm escalating this to our tier two team, who can look at the network side.", "Tier two will contact the customer within 24 hours", "Tier two to investigate the network fault" },
    { "Unfortunately I can't find the cause from here today.", "Customer will try again with a different device", "Open a ticket for the unresolved fault" },
  },
  { /* billing */
    { "That's done, and your account is fully up to date now.", "Payment arrangement confirmed", "Send a payment receipt by email" },
    { "I've taken care of part of it, and the rest will show on your next bill.", "Remaining balance to be paid with the next bill", "Check that the remaining balance is paid" },
    { "I need to raise this with the billing supervisor, who can approve a credit.", "Billing supervisor will review the charge", "Billing supervisor to review a credit" },
    { "I'm afraid I'm not able to remove that charge.", "Charge remains on the account", "None" },
  },
  { /* complaint */
    { "I've applied a credit to your account as an apology, and I've logged the complaint.", "Credit applied as an apology", "Log the complaint and confirm the credit in writing" },
    { "I've logged the complaint, and someone will review it this week.", "Complaint will be reviewed this week", "Review the complaint and reply to the customer" },
    { "I'm escalating this to our customer relations manager.", "Customer relations manager will call back within two business days", "Customer relations manager to call the customer" },
    { "I've noted everything, but I can't offer anything more today.", "Complaint noted without compensation", "None" },
  },
};

/* customer replies to the outcome, by mood */
static const char * const outcome_replies[3][3] = {
  { "That's great, thank you so much.", "Perfect, I really appreciate your help.", "Wonderful, that's a big relief." },
  { "Honestly, this is really frustrating.", "I'm fed up with this, to be honest.", "This is ridiculous. I expected better." },
  { "Okay.", "Alright, that makes sense.", "Fine, I'll wait to hear back then." },
};

/* the agent's first answer: for an upset customer, then for the others */
static const char * const empathy_lines[2][3] = {
  { "I completely understand how frustrating that must be, and I'm going to do my best to sort it out for you.",
    "Okay. Let me look into it.",
    "Right. Well, there's only so much I can do from here." },
  { "I'd be happy to help you with that.",
    "Okay, let me take a look.",
    "Okay." },
};

/* ------------------------------------------------------------------ */
/* Generator                                                           */

VpGenerator *
vp_generator_new (guint64 seed)
{
  VpGenerator *gen = g_new0 (VpGenerator, 1);

  gen->seed = seed;
  return gen;
}

void
vp_generator_free (VpGenerator *gen)
{
  g_free (gen);
}

guint64
vp_generator_get_seed (VpGenerator *gen)
{
  g_return_val_if_fail (gen != NULL, 0);

  return gen->seed;
}

const char *
vp_gen_status_to_string (VpGenStatus status)
{
  switch (status)
    {
    case VP_GEN_STATUS_QUEUED: return "queued";
    case VP_GEN_STATUS_PROCESSING: return "processing";
    case VP_GEN_STATUS_COMPLETED: return "completed";
    case VP_GEN_STATUS_FAILED: return "failed";
    default: return NULL;
    }
}

gboolean
vp_gen_status_from_string (const char  *str,
                           VpGenStatus *status)
{
  g_return_val_if_fail (status != NULL, FALSE);

  for (guint i = VP_GEN_STATUS_QUEUED; i <= VP_GEN_STATUS_FAILED; i++)
    {
      if (g_strcmp0 (str, vp_gen_status_to_string (i)) == 0)
        {
          *status = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
vp_gen_call_type_to_string (VpGenCallType call_type)
{
  g_return_val_if_fail (call_type <= VP_GEN_CALL_COMPLAINT, NULL);

  return call_type_names[call_type];
}

const char *
vp_generator_error_message (const VpGenJob *job)
{
  g_return_val_if_fail (job != NULL, NULL);

  return error_messages[job->error_index % G_N_ELEMENTS (error_messages)];
}

void
vp_generator_format_time (gint64 unix_time,
                          char   buf[20])
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);

  if (dt == NULL)
    {
      g_strlcpy (buf, "1970-01-01 00:00:00", 20);
      return;
    }

  g_snprintf (buf, 20, "%04d-%02d-%02d %02d:%02d:%02d",
              g_date_time_get_year (dt), g_date_time_get_month (dt),
              g_date_time_get_day_of_month (dt), g_date_time_get_hour (dt),
              g_date_time_get_minute (dt), g_date_time_get_second (dt));
}

void
vp_generator_make_job (VpGenerator *gen,
                       guint32      index,
                       VpGenJob    *job)
{
  static const guint type_weights[] = { 20, 20, 25, 20, 15 };
  Rng rng;
  guint8 bytes[16];
  guint r;
  guint rate;
  double lo, hi;

  g_return_if_fail (gen != NULL);
  g_return_if_fail (job != NULL);

  memset (job, 0, sizeof *job);
  rng_init (&rng, gen->seed, index, 0);

  for (guint i = 0; i < 16; i += 8)
    {
      guint64 v = rng_next (&rng);
      for (guint j = 0; j < 8; j++)
        bytes[i + j] = (guint8) (v >> (8 * j));
    }
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  g_snprintf (job->id, sizeof job->id,
              "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
              bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5],
              bytes[6], bytes[7], bytes[8], bytes[9], bytes[10], bytes[11],
              bytes[12], bytes[13], bytes[14], bytes[15]);

  job->index = index;

  r = rng_below (&rng, 100);
  for (guint i = 0; i < G_N_ELEMENTS (type_weights); i++)
    {
      if (r < type_weights[i])
        {
          job->call_type = i;
          break;
        }
      r -= type_weights[i];
    }

  /* log-uniform between 45 s and 40 min: mostly a few minutes */
  lo = 3.8066624898;  /* ln 45 */
  hi = 7.7832240163;  /* ln 2400 */
  job->duration_seconds = (guint32) CLAMP (exp (lo + (hi - lo) * rng_double (&rng)), 45.0, 2400.0);

  job->plan = rng_chance (&rng, 15) ? VP_GEN_PLAN_LITE : VP_GEN_PLAN_PRO;
  job->enhanced = rng_chance (&rng, 25);

  r = rng_below (&rng, 1000);
  if (r < 5)
    job->natural_status = VP_GEN_STATUS_QUEUED;
  else if (r < 10)
    job->natural_status = VP_GEN_STATUS_PROCESSING;
  else if (r < 60)
    job->natural_status = VP_GEN_STATUS_FAILED;
  else
    job->natural_status = VP_GEN_STATUS_COMPLETED;
  job->status = job->natural_status;
  job->error_index = rng_below (&rng, G_N_ELEMENTS (error_messages));

  rate = job->plan == VP_GEN_PLAN_LITE ? 15 : 39;
  job->cost_cents = MAX (1, (job->duration_seconds * rate + 1800) / 3600);

  job->gap_seconds = rng_range (&rng, 180, 3600);
  job->turnaround_seconds = rng_range (&rng, 60, 200) + job->duration_seconds / 30;
}

void
vp_generator_job_set_status (VpGenJob    *job,
                             VpGenStatus  status)
{
  g_return_if_fail (job != NULL);
  g_return_if_fail (status <= VP_GEN_STATUS_FAILED);

  job->status = status;
  if (status == VP_GEN_STATUS_COMPLETED || status == VP_GEN_STATUS_FAILED)
    job->completed_at = job->created_at + job->turnaround_seconds;
  else
    job->completed_at = 0;
}

void
vp_generator_append_jobs (VpGenerator *gen,
                          GArray      *jobs,
                          guint        n)
{
  guint first;

  g_return_if_fail (gen != NULL);
  g_return_if_fail (jobs != NULL);
  g_return_if_fail (g_array_get_element_size (jobs) == sizeof (VpGenJob));

  if (n == 0)
    return;

  first = jobs->len;
  g_array_set_size (jobs, first + n);

  for (guint i = 0; i < n; i++)
    vp_generator_make_job (gen, first + i, &g_array_index (jobs, VpGenJob, first + i));

  if (first == 0)
    {
      gint64 t = VP_GENERATOR_BASE_TIME;

      for (guint i = n; i > 0; i--)
        {
          VpGenJob *job = &g_array_index (jobs, VpGenJob, i - 1);

          job->created_at = t;
          t -= job->gap_seconds;
        }

      /* the newest jobs were only just submitted */
      g_array_index (jobs, VpGenJob, n - 1).status = VP_GEN_STATUS_QUEUED;
      if (n >= 2)
        g_array_index (jobs, VpGenJob, n - 2).status = VP_GEN_STATUS_PROCESSING;
    }
  else
    {
      for (guint i = first; i < first + n; i++)
        {
          VpGenJob *job = &g_array_index (jobs, VpGenJob, i);

          job->created_at = g_array_index (jobs, VpGenJob, i - 1).created_at + job->gap_seconds;
        }
    }

  for (guint i = first; i < first + n; i++)
    {
      VpGenJob *job = &g_array_index (jobs, VpGenJob, i);

      vp_generator_job_set_status (job, job->status);
    }
}

/* ------------------------------------------------------------------ */
/* JSON writing                                                        */

void
vp_json_append_string (GString    *out,
                       const char *str)
{
  const char *p;
  const char *run;

  g_return_if_fail (out != NULL);

  if (str == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  g_string_append_c (out, '"');
  run = str;
  for (p = str; *p; p++)
    {
      guchar c = (guchar) *p;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;

      g_string_append_len (out, run, p - run);
      run = p + 1;

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          g_string_append_printf (out, "\\u%04x", c);
          break;
        }
    }
  g_string_append_len (out, run, p - run);
  g_string_append_c (out, '"');
}

static void
append_uint (GString *out,
             guint64  v)
{
  char buf[24];
  int i = sizeof buf;

  g_assert (out != NULL);

  do
    {
      buf[--i] = '0' + (v % 10);
      v /= 10;
    }
  while (v > 0);

  g_string_append_len (out, buf + i, sizeof buf - i);
}

/* @cs hundredths as "12.34" */
static void
append_fixed2 (GString *out,
               guint64  cs)
{
  g_assert (out != NULL);

  append_uint (out, cs / 100);
  g_string_append_c (out, '.');
  g_string_append_c (out, '0' + (cs / 10) % 10);
  g_string_append_c (out, '0' + cs % 10);
}

static void
append_key (GString    *out,
            const char *key)
{
  g_assert (out != NULL);

  g_string_append_c (out, '"');
  g_string_append (out, key);
  g_string_append (out, "\":");
}

static void
append_time_or_null (GString *out,
                     gint64   t)
{
  char buf[20];

  g_assert (out != NULL);

  if (t == 0)
    {
      g_string_append (out, "null");
      return;
    }

  vp_generator_format_time (t, buf);
  g_string_append_c (out, '"');
  g_string_append (out, buf);
  g_string_append_c (out, '"');
}

void
vp_generator_write_job (const VpGenJob *job,
                        gboolean        full,
                        GString        *out)
{
  g_return_if_fail (job != NULL);
  g_return_if_fail (out != NULL);

  g_string_append (out, "{\"id\":\"");
  g_string_append (out, job->id);
  g_string_append (out, "\",\"status\":\"");
  g_string_append (out, vp_gen_status_to_string (job->status));
  g_string_append (out, "\",\"type\":\"transcribe\",\"model\":\"");
  g_string_append (out, job->enhanced ? "enhanced" : "standard");
  g_string_append (out, "\",\"duration_seconds\":");
  append_uint (out, job->duration_seconds);
  g_string_append (out, ",\"cost_cents\":");
  append_uint (out, job->cost_cents);
  g_string_append (out, ",\"created_at\":");
  append_time_or_null (out, job->created_at);
  g_string_append (out, ",\"completed_at\":");
  append_time_or_null (out, job->completed_at);

  if (full)
    {
      g_string_append (out, ",\"error\":");
      if (job->status == VP_GEN_STATUS_FAILED)
        vp_json_append_string (out, vp_generator_error_message (job));
      else
        g_string_append (out, "null");

      if (job->status == VP_GEN_STATUS_COMPLETED)
        {
          g_string_append (out, ",\"result_url\":\"/v1/jobs/");
          g_string_append (out, job->id);
          g_string_append (out, "/result\"");
        }
    }

  g_string_append_c (out, '}');
}

/* ------------------------------------------------------------------ */
/* Calls                                                               */

typedef struct
{
  gboolean agent;
  guint    hold;   /* silence after the turn, centiseconds */
  GString *text;
} Turn;

typedef struct
{
  Rng            rng;
  VpGenCallType  type;
  gboolean       lite;
  const Scenario *scenario;
  Outcome        outcome;
  Mood           mood;
  AgentPerf      perf;

  char          *cfirst;
  char          *cname;
  const char    *company;         /* mentioned company or NULL */
  char          *email;           /* when spoken */
  char          *phone;           /* when spoken */
  char          *afirst;
  char          *aname;
  const char    *department;      /* when mentioned */
  char          *agent_id;        /* when mentioned */
  const char    *brand;

  gboolean       disclosure;
  guint          pii;             /* what will be said */
  guint          pii_order[6];
  guint          n_pii_said;

  /* money in cents; 0 = not discussed */
  guint          payment_today;
  guint          recurring;
  guint          pending;
  const char    *payment_method;
  char          *billing_date;    /* "2026-12-15" */
  char          *billing_date_spoken;

  gboolean       called_before;

  GArray        *turns;
  guint          n_words;
  guint          n_holds;
  guint64        hold_cs;         /* total hold time */
  guint          deck[G_N_ELEMENTS (filler_generic) + 6];
  guint          deck_left;
} Call;

static void
turn_clear (gpointer data)
{
  Turn *turn = data;

  g_string_free (turn->text, TRUE);
}

static void
call_clear (Call *call)
{
  g_assert (call != NULL);

  g_free (call->cfirst);
  g_free (call->cname);
  g_free (call->email);
  g_free (call->phone);
  g_free (call->afirst);
  g_free (call->aname);
  g_free (call->agent_id);
  g_free (call->billing_date);
  g_free (call->billing_date_spoken);
  g_clear_pointer (&call->turns, g_array_unref);
}

static guint
count_words (const char *text)
{
  guint n = 0;
  gboolean in_word = FALSE;

  g_assert (text != NULL);

  for (const char *p = text; *p; p++)
    {
      if (*p == ' ')
        in_word = FALSE;
      else if (!in_word)
        {
          in_word = TRUE;
          n++;
        }
    }

  return n;
}

/* Appends a turn; consecutive lines of the same speaker join one turn. */
static void
say (Call       *call,
     gboolean    agent,
     const char *text)
{
  Turn *last = NULL;

  g_assert (call != NULL);
  g_assert (text != NULL);

  if (call->turns->len > 0)
    last = &g_array_index (call->turns, Turn, call->turns->len - 1);

  if (last != NULL && last->agent == agent)
    {
      g_string_append_c (last->text, ' ');
      g_string_append (last->text, text);
    }
  else
    {
      Turn turn = { agent, 0, g_string_new (text) };
      g_array_append_val (call->turns, turn);
    }

  call->n_words += count_words (text);
}

static void
sayf (Call       *call,
      gboolean    agent,
      const char *format,
      ...) G_GNUC_PRINTF (3, 4);

static void
sayf (Call       *call,
      gboolean    agent,
      const char *format,
      ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  say (call, agent, text);
}

static char *
money (guint cents)
{
  return g_strdup_printf ("$%u.%02u", cents / 100, cents % 100);
}

static char *
ascii_handle (const char *name)
{
  g_autofree char *ascii = g_str_to_ascii (name, "C");
  GString *out = g_string_new (NULL);

  for (const char *p = ascii; *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (out, g_ascii_tolower (*p));
    }

  return g_string_free (out, FALSE);
}

static const char *
ordinal_suffix (int day)
{
  if (day >= 11 && day <= 13)
    return "th";
  switch (day % 10)
    {
    case 1: return "st";
    case 2: return "nd";
    case 3: return "rd";
    default: return "th";
    }
}

/* Digits either as numerals grouped by @group, or as spoken words. */
static char *
speak_digits (const char *digits,
              guint       group,
              gboolean    words)
{
  GString *out = g_string_new (NULL);
  guint i = 0;

  g_assert (digits != NULL);

  for (const char *p = digits; *p; p++, i++)
    {
      if (i > 0 && group > 0 && i % group == 0)
        g_string_append (out, words ? ", " : " ");
      else if (i > 0 && words)
        g_string_append_c (out, ' ');

      if (words)
        g_string_append (out, digit_words[*p - '0']);
      else
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

static char *
random_digits (Rng  *rng,
               guint n,
               char  first)
{
  char *s = g_malloc (n + 1);

  for (guint i = 0; i < n; i++)
    s[i] = '0' + rng_below (rng, 10);
  if (first)
    s[0] = first;
  s[n] = '\0';

  return s;
}

static void
note_pii (Call  *call,
          guint  kind)
{
  g_assert (call != NULL);

  for (guint i = 0; i < call->n_pii_said; i++)
    if (call->pii_order[i] == kind)
      return;
  call->pii_order[call->n_pii_said++] = kind;
}

static void
verify (Call *call)
{
  Rng *rng = &call->rng;

  g_assert (call != NULL);

  if ((call->pii & (PII_ACCOUNT | PII_DOB | PII_SSN | PII_PHONE | PII_EMAIL)) == 0)
    {
      say (call, TRUE, "I've found your account using your name and the number you're calling from.");
      return;
    }

  say (call, TRUE, "Before we go any further, I just need to verify a few details.");
  say (call, FALSE, "Sure.");

  if (call->pii & PII_ACCOUNT)
    {
      g_autofree char *acct = random_digits (rng, 8, '4');
      say (call, TRUE, "Can I have your account number, please?");
      sayf (call, FALSE, "Yes, my account number is %s.", acct);
      note_pii (call, PII_ACCOUNT);
    }
  if (call->pii & PII_DOB)
    {
      int day = rng_range (rng, 1, 28);
      say (call, TRUE, "And can you confirm your date of birth?");
      sayf (call, FALSE, "My date of birth is %s %d%s, %d.",
            PICK (rng, months), day, ordinal_suffix (day), rng_range (rng, 1948, 2004));
      note_pii (call, PII_DOB);
    }
  if (call->pii & PII_SSN)
    {
      g_autofree char *four = random_digits (rng, 4, 0);
      g_autofree char *spoken = speak_digits (four, 0, rng_chance (rng, 50));
      say (call, TRUE, "And the last four digits of your Social Security number?");
      sayf (call, FALSE, "The last four of my social are %s.", spoken);
      note_pii (call, PII_SSN);
    }
  if (call->pii & PII_PHONE)
    {
      say (call, TRUE, "What's the best phone number to reach you on?");
      sayf (call, FALSE, "You can call me on %s.", call->phone);
      note_pii (call, PII_PHONE);
    }
  if (call->pii & PII_EMAIL)
    {
      say (call, TRUE, "And could you confirm the email address on the account?");
      sayf (call, FALSE, "It's %s.", call->email);
      note_pii (call, PII_EMAIL);
    }

  say (call, TRUE, "Thank you, that's all verified.");
}

static void
pay_by_card (Call *call)
{
  Rng *rng = &call->rng;
  g_autofree char *card = random_digits (rng, 16, '4');
  g_autofree char *spoken = speak_digits (card, 4, rng_chance (rng, 40));
  int month = rng_range (rng, 1, 12);
  int year = rng_range (rng, 27, 31);

  g_assert (call != NULL);

  say (call, TRUE, "Could you read me the card number when you're ready?");
  sayf (call, FALSE, "Okay, it's %s, and it expires %02d/%d.", spoken, month, year);
  note_pii (call, PII_CARD);
  say (call, TRUE, "Thank you. That payment has gone through.");
}

static void
pay (Call *call)
{
  g_autofree char *today = NULL;

  g_assert (call != NULL);

  if (call->payment_today == 0)
    return;

  today = money (call->payment_today);
  if (call->type == VP_GEN_CALL_SALES)
    sayf (call, TRUE, "There's a first payment of %s due today. How would you like to pay?", today);
  else
    sayf (call, FALSE, "I'd like to pay %s today, if that's possible.", today);

  if (call->type != VP_GEN_CALL_SALES)
    say (call, TRUE, "Of course. How would you like to pay?");

  if (g_str_equal (call->payment_method, "credit card"))
    {
      if (call->pii & PII_CARD)
        {
          say (call, FALSE, "With my credit card.");
          pay_by_card (call);
        }
      else
        {
          say (call, FALSE, "Just use the credit card you already have on file.");
          say (call, TRUE, "Done. That payment has gone through on the card on file.");
        }
    }
  else if (g_str_equal (call->payment_method, "bank transfer"))
    {
      say (call, FALSE, "I'll do a bank transfer, if you give me the reference.");
      say (call, TRUE, "The reference is on the top right of your bill. The transfer usually clears in two days.");
    }
  else if (g_str_equal (call->payment_method, "PayPal"))
    {
      say (call, FALSE, "Can I pay with PayPal?");
      say (call, TRUE, "Yes. I've sent a payment link to you, and it's confirmed now.");
    }
  else
    {
      say (call, FALSE, "With my debit card, the one that's already saved.");
      say (call, TRUE, "Done, the payment is confirmed on your debit card.");
    }
}

static void
talk_money (Call *call)
{
  g_autofree char *rec = call->recurring ? money (call->recurring) : NULL;
  g_autofree char *pending = call->pending ? money (call->pending) : NULL;

  g_assert (call != NULL);

  switch (call->type)
    {
    case VP_GEN_CALL_RETENTION:
      if (pending)
        sayf (call, TRUE, "I can also see there's %s still outstanding on the account.", pending);
      if (rec)
        {
          sayf (call, TRUE, "What I can do is offer you a loyalty rate of %s a month for the next twelve months.", rec);
          say (call, FALSE, "Okay, that's better than what I'm paying now.");
        }
      break;

    case VP_GEN_CALL_SALES:
      if (rec)
        {
          sayf (call, TRUE, "That plan is %s a month, and the price is fixed for the first year.", rec);
          say (call, FALSE, "That's within my budget.");
        }
      break;

    case VP_GEN_CALL_BILLING:
      if (pending)
        {
          sayf (call, TRUE, "I can see a balance of %s on the account at the moment.", pending);
          say (call, FALSE, "Right, that's what I thought.");
        }
      if (rec)
        sayf (call, TRUE, "Your regular monthly charge is %s.", rec);
      break;

    case VP_GEN_CALL_COMPLAINT:
      if (pending)
        {
          sayf (call, FALSE, "And on top of everything I was still charged %s for that month.", pending);
          sayf (call, TRUE, "I can see the charge of %s you're referring to.", pending);
        }
      break;

    case VP_GEN_CALL_SUPPORT:
    default:
      break;
    }

  pay (call);

  if (call->billing_date_spoken)
    sayf (call, TRUE, "Your next billing date will be %s.", call->billing_date_spoken);
}

static void
filler (Call     *call,
        gboolean  holds)
{
  Rng *rng = &call->rng;
  g_auto(GStrv) lines = NULL;
  const char *exchange;
  gboolean hold = FALSE;
  guint pick, k;

  g_assert (call != NULL);

  /* deal every exchange once before any comes back */
  if (call->deck_left == 0)
    {
      call->deck_left = G_N_ELEMENTS (call->deck);
      for (guint i = 0; i < call->deck_left; i++)
        call->deck[i] = i;
    }
  k = rng_below (rng, call->deck_left);
  pick = call->deck[k];
  call->deck[k] = call->deck[--call->deck_left];

  if (pick < G_N_ELEMENTS (filler_generic))
    exchange = filler_generic[pick];
  else
    exchange = filler_by_type[call->type][pick - G_N_ELEMENTS (filler_generic)];

  if (exchange[0] == '~')
    {
      hold = TRUE;
      exchange++;
    }

  lines = g_strsplit (exchange, "|", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    say (call, i % 2 == 0, lines[i]);

  if (hold && holds && call->n_holds < 4)
    {
      Turn *last = &g_array_index (call->turns, Turn, call->turns->len - 1);

      last->hold = 100 * rng_range (rng, 15, 90);
      call->hold_cs += last->hold;
      call->n_holds++;
      say (call, TRUE, "Thank you for holding.");
    }

  if (call->mood == MOOD_NEGATIVE && rng_chance (rng, 20))
    say (call, FALSE, PICK (rng, outcome_replies[MOOD_NEGATIVE]));
}

static void
plan_call (Call    *call,
           guint64  seed,
           guint32  index,
           VpGenCallType type,
           gboolean lite)
{
  Rng *rng = &call->rng;
  guint r;

  g_assert (call != NULL);

  memset (call, 0, sizeof *call);
  rng_init (rng, seed, index, 1);
  call->type = type;
  call->lite = lite;
  call->turns = g_array_new (FALSE, FALSE, sizeof (Turn));
  g_array_set_clear_func (call->turns, turn_clear);

  call->scenario = &scenarios[type][rng_below (rng, 3)];

  r = rng_below (rng, 100);
  call->outcome = r < 45 ? OUTCOME_RESOLVED : r < 65 ? OUTCOME_PARTIAL : r < 82 ? OUTCOME_ESCALATED : OUTCOME_UNRESOLVED;

  r = rng_below (rng, 100);
  call->perf = r < 65 ? AGENT_GOOD : r < 90 ? AGENT_NEUTRAL : AGENT_POOR;

  r = rng_below (rng, 100);
  if (type == VP_GEN_CALL_COMPLAINT || call->perf == AGENT_POOR)
    r = MIN (99, r + 30);
  switch (call->outcome)
    {
    case OUTCOME_RESOLVED:
      call->mood = r < 60 ? MOOD_POSITIVE : r < 90 ? MOOD_NEUTRAL : MOOD_NEGATIVE;
      break;
    case OUTCOME_PARTIAL:
      call->mood = r < 20 ? MOOD_POSITIVE : r < 70 ? MOOD_NEUTRAL : MOOD_NEGATIVE;
      break;
    case OUTCOME_ESCALATED:
      call->mood = r < 40 ? MOOD_NEUTRAL : MOOD_NEGATIVE;
      break;
    case OUTCOME_UNRESOLVED:
    default:
      call->mood = r < 25 ? MOOD_NEUTRAL : MOOD_NEGATIVE;
      break;
    }

  call->cfirst = g_strdup (PICK (rng, first_names));
  call->cname = g_strdup_printf ("%s %s", call->cfirst, PICK (rng, last_names));
  if (rng_chance (rng, 45))
    call->company = PICK (rng, companies);
  call->afirst = g_strdup (PICK (rng, first_names));
  call->aname = g_strdup_printf ("%s %s", call->afirst, PICK (rng, last_names));
  if (rng_chance (rng, 70))
    call->department = departments[type];
  if (rng_chance (rng, 40))
    call->agent_id = g_strdup_printf ("AG-%u", 1000 + rng_below (rng, 9000));
  call->brand = PICK (rng, brands);
  call->disclosure = !rng_chance (rng, 20);
  call->called_before = call->mood == MOOD_NEGATIVE && rng_chance (rng, 50);

  /* verification PII: about 45% of calls share none */
  if (!rng_chance (rng, 45))
    {
      static const guint kinds[] = { PII_ACCOUNT, PII_DOB, PII_SSN, PII_PHONE, PII_EMAIL };
      guint n = rng_range (rng, 1, 3);

      for (guint i = 0; i < n; i++)
        call->pii |= PICK (rng, kinds);
    }

  if (call->pii & PII_PHONE)
    call->phone = g_strdup_printf ("%s-555-01%02u", PICK (rng, area_codes), rng_below (rng, 100));
  if (call->pii & PII_EMAIL)
    {
      g_autofree char *first = ascii_handle (call->cfirst);
      g_autofree char *last = ascii_handle (call->cname + strlen (call->cfirst) + 1);

      call->email = g_strdup_printf ("%s.%s@%s", first, last, PICK (rng, email_domains));
    }

  /* money */
  switch (type)
    {
    case VP_GEN_CALL_BILLING:
      call->pending = rng_range (rng, 2000, 48000);
      if (rng_chance (rng, 70))
        call->payment_today = rng_chance (rng, 60) ? call->pending : call->pending / 2;
      if (rng_chance (rng, 50))
        call->recurring = PICK (rng, ((const guint[]) { 2999, 3999, 4999, 5999, 7499, 8999 }));
      if (rng_chance (rng, 80))
        {
          int day = rng_range (rng, 1, 28);
          call->billing_date = g_strdup_printf ("2026-12-%02d", day);
          call->billing_date_spoken = g_strdup_printf ("December %d%s", day, ordinal_suffix (day));
        }
      break;

    case VP_GEN_CALL_RETENTION:
      if (call->outcome != OUTCOME_UNRESOLVED || rng_chance (rng, 40))
        call->recurring = PICK (rng, ((const guint[]) { 1999, 2499, 2999, 3499, 3999, 4499 }));
      if (rng_chance (rng, 15))
        call->pending = rng_range (rng, 1500, 20000);
      if (call->recurring && rng_chance (rng, 40))
        {
          int day = rng_range (rng, 1, 28);
          call->billing_date = g_strdup_printf ("2027-01-%02d", day);
          call->billing_date_spoken = g_strdup_printf ("January %d%s", day, ordinal_suffix (day));
        }
      break;

    case VP_GEN_CALL_SALES:
      if (rng_chance (rng, 90))
        call->recurring = PICK (rng, ((const guint[]) { 3999, 4999, 5999, 6999, 8999, 11900 }));
      if (call->recurring && call->outcome == OUTCOME_RESOLVED && rng_chance (rng, 60))
        call->payment_today = call->recurring;
      if (call->recurring && rng_chance (rng, 50))
        {
          int day = rng_range (rng, 1, 28);
          call->billing_date = g_strdup_printf ("2026-12-%02d", day);
          call->billing_date_spoken = g_strdup_printf ("December %d%s", day, ordinal_suffix (day));
        }
      break;

    case VP_GEN_CALL_COMPLAINT:
      if (rng_chance (rng, 35))
        call->pending = rng_range (rng, 1500, 15000);
      break;

    case VP_GEN_CALL_SUPPORT:
    default:
      break;
    }

  if (call->payment_today)
    {
      static const char * const methods[] = {
        "credit card", "credit card", "credit card", "credit card", "credit card",
        "bank transfer", "bank transfer", "PayPal", "debit card",
      };

      call->payment_method = PICK (rng, methods);
      if (g_str_equal (call->payment_method, "credit card") && rng_chance (rng, 80))
        call->pii |= PII_CARD;
    }
}

/* about 2.3 words a second while talking, plus pauses between turns */
static guint64
estimate_cs (Call *call)
{
  g_assert (call != NULL);

  return (guint64) call->n_words * 43 + call->turns->len * 80 + call->hold_cs;
}

/* Fills the call up to @target_words words, or if 0, up to @duration. */
static void
write_call (Call  *call,
            guint  duration,
            guint  target_words)
{
  Rng *rng = &call->rng;
  const Scenario *sc;
  const OutcomeText *ot;

  g_assert (call != NULL);

  sc = call->scenario;
  ot = &outcome_texts[call->type][call->outcome];

  /* greeting */
  if (call->disclosure)
    sayf (call, TRUE, "Thank you for calling %s. Please note this call may be recorded for quality and training purposes.", call->brand);
  else
    sayf (call, TRUE, "Thank you for calling %s.", call->brand);
  if (call->department)
    sayf (call, TRUE, "My name is %s, in the %s department.", call->aname, call->department);
  else
    sayf (call, TRUE, "My name is %s.", call->aname);
  if (call->agent_id)
    sayf (call, TRUE, "My agent ID is %s if you need it.", call->agent_id);
  say (call, TRUE, "Can I start with your name, please?");

  if (call->company)
    sayf (call, FALSE, "Hi, yes, it's %s, from %s.", call->cname, call->company);
  else
    sayf (call, FALSE, "Hi, yes, it's %s.", call->cname);

  sayf (call, TRUE, "Thanks, %s. How can I help you today?", call->cfirst);
  say (call, FALSE, sc->opening);
  if (call->called_before)
    say (call, FALSE, "And this is the third time I've called about it.");
  if (call->mood == MOOD_NEGATIVE)
    say (call, FALSE, "Honestly, I'm really frustrated with how this has been handled.");
  say (call, TRUE, empathy_lines[call->mood == MOOD_NEGATIVE ? 0 : 1][call->perf]);

  verify (call);

  if (target_words == 0)
    target_words = duration * 23 / 10;

  for (guint i = 0; i < 4; i += 2)
    {
      if (i > 0 && call->n_words + 60 > target_words)
        break;
      say (call, TRUE, sc->details[i]);
      say (call, FALSE, sc->details[i + 1]);
    }

  talk_money (call);

  if (duration > 0)
    {
      /* the closing takes about 12 s */
      while (estimate_cs (call) + 1200 < (guint64) duration * 100)
        filler (call, TRUE);
    }
  else
    {
      /* the closing adds some 30 to 45 words */
      while (call->n_words + 25 < target_words)
        filler (call, FALSE);
    }

  /* outcome */
  say (call, TRUE, ot->agent);
  say (call, FALSE, PICK (rng, outcome_replies[call->mood]));
  if (call->perf == AGENT_POOR)
    say (call, TRUE, "Right. Anything else?");
  else
    say (call, TRUE, "Is there anything else I can help you with today?");
  if (call->mood == MOOD_POSITIVE)
    sayf (call, FALSE, "No, that's everything. Thanks again, %s.", call->afirst);
  else if (call->mood == MOOD_NEGATIVE)
    say (call, FALSE, "No. I just hope this actually gets sorted this time.");
  else
    say (call, FALSE, "No, that's all, thanks.");
  sayf (call, TRUE, "Thank you for calling %s. Have a good day.", call->brand);
}

/* "words" strip punctuation around a token */
static gboolean
word_bounds (const char  *tok,
             gsize        len,
             gsize       *start,
             gsize       *end)
{
  gsize s = 0, e = len;

  g_assert (tok != NULL);

  while (s < e && strchr (".,?!;:\"", tok[s]) != NULL)
    s++;
  while (e > s && strchr (".,?!;:\"", tok[e - 1]) != NULL)
    e--;

  *start = s;
  *end = e;
  return e > s;
}

typedef struct
{
  const char *word;  /* points into the turn text */
  guint       len;
  guint       start; /* centiseconds */
  guint       end;
} Word;

static void
write_result (Call      *call,
              guint      duration,
              GString   *out)
{
  Rng *rng = &call->rng;
  g_autoptr(GArray) words = g_array_sized_new (FALSE, FALSE, sizeof (Word), call->n_words + 16);
  g_autofree guint *turn_first = g_new0 (guint, call->turns->len + 1);
  g_autofree guint *gap_after = g_new0 (guint, call->turns->len + 1);
  guint64 nominal = 0;
  guint64 avail;
  guint64 t;
  guint lead;

  g_assert (call != NULL);
  g_assert (out != NULL);

  /* nominal timings: word lengths by size, pauses between words and turns */
  for (guint i = 0; i < call->turns->len; i++)
    {
      Turn *turn = &g_array_index (call->turns, Turn, i);
      const char *p = turn->text->str;

      turn_first[i] = words->len;
      while (*p)
        {
          const char *q = strchr (p, ' ');
          gsize len = q ? (gsize) (q - p) : strlen (p);
          gsize s, e;

          if (len > 0 && word_bounds (p, len, &s, &e))
            {
              Word w = { p + s, e - s, 0, 0 };
              /* duration in start, pause after in end, for now */
              w.start = 14 + 4 * MIN (e - s, 14) + rng_below (rng, 10);
              w.end = 3 + rng_below (rng, 10);
              nominal += w.start + w.end;
              g_array_append_val (words, w);
            }
          p += len;
          while (*p == ' ')
            p++;
        }
      gap_after[i] = 40 + rng_below (rng, 90) + g_array_index (call->turns, Turn, i).hold;
      nominal += gap_after[i];
    }
  turn_first[call->turns->len] = words->len;

  lead = 30 + rng_below (rng, 70);
  avail = (guint64) duration * 100;
  avail = avail > lead + 60 ? avail - lead - 50 : avail / 2;
  if (nominal == 0)
    nominal = 1;

  /* scale everything into [lead, duration - 0.5 s] */
  t = (guint64) lead * nominal;
  for (guint i = 0; i < call->turns->len; i++)
    {
      for (guint k = turn_first[i]; k < turn_first[i + 1]; k++)
        {
          Word *w = &g_array_index (words, Word, k);
          guint dur = w->start, pause = w->end;

          w->start = (guint) (t / nominal);
          t += (guint64) dur * avail;
          w->end = (guint) (t / nominal);
          if (w->end <= w->start)
            w->end = w->start + 1;
          t += (guint64) pause * avail;
        }
      t += (guint64) gap_after[i] * avail;
    }

  /* transcript */
  g_string_append (out, "{\"transcript\":");
  {
    g_autoptr(GString) raw = g_string_new (NULL);

    for (guint i = 0; i < call->turns->len; i++)
      {
        if (i > 0)
          g_string_append_c (raw, ' ');
        g_string_append (raw, g_array_index (call->turns, Turn, i).text->str);
      }
    vp_json_append_string (out, raw->str);
  }

  g_string_append (out, ",\"duration_seconds\":");
  append_uint (out, duration);
  g_string_append (out, ",\"language\":\"en\",\"segments\":[");
  for (guint i = 0; i < call->turns->len; i++)
    {
      Turn *turn = &g_array_index (call->turns, Turn, i);

      if (turn_first[i] == turn_first[i + 1])
        continue;
      if (out->str[out->len - 1] != '[')
        g_string_append_c (out, ',');
      g_string_append (out, "{\"start\":");
      append_fixed2 (out, g_array_index (words, Word, turn_first[i]).start);
      g_string_append (out, ",\"end\":");
      append_fixed2 (out, g_array_index (words, Word, turn_first[i + 1] - 1).end);
      g_string_append (out, ",\"text\":");
      vp_json_append_string (out, turn->text->str);
      g_string_append_c (out, '}');
    }

  g_string_append (out, "],\"words\":[");
  for (guint k = 0; k < words->len; k++)
    {
      Word *w = &g_array_index (words, Word, k);
      char buf[64];

      if (k > 0)
        g_string_append_c (out, ',');
      g_string_append (out, "{\"word\":");
      if (w->len < sizeof buf)
        {
          memcpy (buf, w->word, w->len);
          buf[w->len] = '\0';
          vp_json_append_string (out, buf);
        }
      else
        {
          g_autofree char *copy = g_strndup (w->word, w->len);
          vp_json_append_string (out, copy);
        }
      g_string_append (out, ",\"start\":");
      append_fixed2 (out, w->start);
      g_string_append (out, ",\"end\":");
      append_fixed2 (out, w->end);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "],\"ai_analysis\":{");

  if (!call->lite)
    {
      static const char * const pii_names[] = {
        "account number", "date of birth", "SSN (last 4)", "phone number",
        "email address", "credit card",
      };
      g_autofree char *summary = NULL;

      /* summary */
      {
        static const char * const outcome_summary[] = {
          "The issue was resolved during the call.",
          "The issue was partly resolved, with a follow-up needed.",
          "The agent escalated the case.",
          "The issue was not resolved.",
        };
        GString *s = g_string_new (NULL);

        g_string_append_printf (s, "%s %s.", call->cname, call->scenario->summary);
        if (call->recurring)
          {
            g_autofree char *m = money (call->recurring);
            g_string_append_printf (s, " A monthly rate of %s was discussed.", m);
          }
        if (call->payment_today)
          {
            g_autofree char *m = money (call->payment_today);
            g_string_append_printf (s, " A payment of %s was made by %s.", m, call->payment_method);
          }
        g_string_append_c (s, ' ');
        g_string_append (s, outcome_summary[call->outcome]);
        summary = g_string_free (s, FALSE);
      }

      append_key (out, "call_summary");
      vp_json_append_string (out, summary);
      g_string_append (out, ",\"call_type\":");
      vp_json_append_string (out, call_type_names[call->type]);
      g_string_append (out, ",\"call_outcome\":");
      vp_json_append_string (out, outcome_names[call->outcome]);

      g_string_append (out, ",\"customer\":{\"name\":");
      vp_json_append_string (out, call->cname);
      if (call->company)
        {
          g_string_append (out, ",\"company\":");
          vp_json_append_string (out, call->company);
        }
      if (call->email)
        {
          g_string_append (out, ",\"email\":");
          vp_json_append_string (out, call->email);
        }
      if (call->phone)
        {
          g_string_append (out, ",\"phone\":");
          vp_json_append_string (out, call->phone);
        }

      g_string_append (out, "},\"agent\":{\"name\":");
      vp_json_append_string (out, call->aname);
      if (call->department)
        {
          g_string_append (out, ",\"department\":");
          vp_json_append_string (out, call->department);
        }
      if (call->agent_id)
        {
          g_string_append (out, ",\"agent_id\":");
          vp_json_append_string (out, call->agent_id);
        }

      g_string_append (out, "},\"financial\":{\"payment_today\":");
      if (call->payment_today)
        append_fixed2 (out, call->payment_today);
      else
        g_string_append (out, "null");
      g_string_append (out, ",\"recurring_amount\":");
      if (call->recurring)
        append_fixed2 (out, call->recurring);
      else
        g_string_append (out, "null");
      g_string_append (out, ",\"pending_balance\":");
      if (call->pending)
        append_fixed2 (out, call->pending);
      else
        g_string_append (out, "null");
      g_string_append (out, ",\"payment_method\":");
      vp_json_append_string (out, call->payment_method);
      g_string_append (out, ",\"billing_date\":");
      vp_json_append_string (out, call->billing_date);

      g_string_append (out, "},\"compliance\":{\"recording_disclosure\":");
      g_string_append (out, call->disclosure ? "true" : "false");
      g_string_append (out, ",\"sensitive_data_shared\":[");
      for (guint i = 0; i < call->n_pii_said; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          vp_json_append_string (out, pii_names[g_bit_nth_lsf (call->pii_order[i], -1)]);
        }

      g_string_append (out, "]},\"sentiment\":{\"customer_sentiment\":");
      vp_json_append_string (out, mood_names[call->mood]);
      g_string_append (out, ",\"agent_performance\":");
      vp_json_append_string (out, perf_names[call->perf]);

      g_string_append (out, "},\"key_issues\":[");
      vp_json_append_string (out, call->scenario->issue);
      if (call->called_before)
        {
          g_string_append_c (out, ',');
          vp_json_append_string (out, "Customer has called about this before without a fix");
        }
      if (call->pending && call->type != VP_GEN_CALL_BILLING)
        {
          g_string_append_c (out, ',');
          vp_json_append_string (out, "Outstanding balance on the account");
        }

      g_string_append (out, "],\"action_items\":[");
      {
        const OutcomeText *ot = &outcome_texts[call->type][call->outcome];
        gboolean any = FALSE;

        if (!g_str_equal (ot->action, "None"))
          {
            vp_json_append_string (out, ot->action);
            any = TRUE;
          }
        if (call->outcome != OUTCOME_RESOLVED)
          {
            if (any)
              g_string_append_c (out, ',');
            vp_json_append_string (out, call->scenario->action);
          }

        g_string_append (out, "],\"agreements\":[");
        vp_json_append_string (out, ot->agreement);
        if (call->payment_today)
          {
            g_autofree char *m = money (call->payment_today);
            g_autofree char *a = g_strdup_printf ("Customer paid %s today by %s", m, call->payment_method);

            g_string_append_c (out, ',');
            vp_json_append_string (out, a);
          }
        g_string_append (out, "],");
      }
    }

  append_key (out, "transcript_cleaned");
  {
    g_autoptr(GString) cleaned = g_string_new (NULL);

    for (guint i = 0; i < call->turns->len; i++)
      {
        Turn *turn = &g_array_index (call->turns, Turn, i);

        g_string_append (cleaned, turn->agent ? "Agent: " : "Customer: ");
        g_string_append (cleaned, turn->text->str);
        g_string_append_c (cleaned, '\n');
      }
    vp_json_append_string (out, cleaned->str);
  }
  g_string_append (out, "}}");
}

static char *
generate (VpGenerator   *gen,
          guint32        index,
          VpGenCallType  type,
          gboolean       lite,
          guint          duration,
          guint          target_words,
          gsize         *length)
{
  Call call;
  GString *out;

  g_assert (gen != NULL);

  plan_call (&call, gen->seed, index, type, lite);
  write_call (&call, target_words > 0 ? 0 : duration, target_words);

  out = g_string_sized_new (call.n_words * 64 + 4096);
  write_result (&call, duration, out);
  call_clear (&call);

  if (length)
    *length = out->len;

  return g_string_free (out, FALSE);
}

char *
vp_generator_result_json (VpGenerator    *gen,
                          const VpGenJob *job,
                          gsize          *length)
{
  g_return_val_if_fail (gen != NULL, NULL);
  g_return_val_if_fail (job != NULL, NULL);

  return generate (gen, job->index, job->call_type, job->plan == VP_GEN_PLAN_LITE,
                   job->duration_seconds, 0, length);
}

char *
vp_generator_long_result_json (VpGenerator *gen,
                               guint32      index,
                               guint        n_words,
                               gsize       *length)
{
  VpGenJob job;

  g_return_val_if_fail (gen != NULL, NULL);

  vp_generator_make_job (gen, index, &job);

  return generate (gen, index, job.call_type, FALSE,
                   vp_generator_long_duration (n_words), n_words, length);
}

guint
vp_generator_long_duration (guint n_words)
{
  /* 40,000 words make a four-hour call */
  return MAX (45, (guint) ((guint64) n_words * 9 / 25));
}
