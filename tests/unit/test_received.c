/* test_received.c: Received headers as postfix, exim, sendmail, Exchange
 * and Gmail write them, and junk: every hop kept, fields where present. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <gmime/gmime.h>
#include <json-c/json.h>

#include "date_strict.h"
#include "received.h"

#define TEST_RAND_SEED	0x2545f4914f6cdd1dULL
#include "test_rand.h"

static const char *
get(json_object *o, const char *a, const char *b)
{
	json_object *v;

	if (!json_object_object_get_ex(o, a, &v))
		return NULL;
	if (b != NULL && !json_object_object_get_ex(v, b, &v))
		return NULL;
	return json_object_get_string(v);
}

static void
check(const char *raw, const char *helo, const char *rdns, const char *ip,
    const char *by, const char *with, const char *id, const char *for_,
    const char *ts)
{
	json_object *h = received_parse(raw);
	const char *want[] = { helo, rdns, ip, by, with, id, for_, ts };
	const char *got[] = { get(h, "from", "helo"), get(h, "from", "rdns"),
	    get(h, "from", "ip"), get(h, "by", NULL), get(h, "with", NULL),
	    get(h, "id", NULL), get(h, "for", NULL), get(h, "ts", NULL) };
	size_t i;

	assert_string_equal(get(h, "raw", NULL), raw);
	for (i = 0; i < 8; i++) {
		if (want[i] == NULL)
			assert_null(got[i]);
		else {
			assert_non_null(got[i]);
			assert_string_equal(got[i], want[i]);
		}
	}
	json_object_put(h);
}

static void
test_mtas(void **state)
{
	(void)state;
	/* postfix */
	check("from mail.example.org (mail.example.org [192.0.2.10]) by "
	    "mx.example.com (Postfix) with ESMTPS id 4F2A81C0123 for "
	    "<bob@example.com>; Tue, 14 Mar 2023 10:21:07 +0100 (CET)",
	    "mail.example.org", "mail.example.org", "192.0.2.10",
	    "mx.example.com", "ESMTPS", "4F2A81C0123", "bob@example.com",
	    "2023-03-14T09:21:07Z");
	check("from unknown (unknown [IPv6:2001:db8::5]) by mx.example.com "
	    "(Postfix) with ESMTP id 1; Tue, 14 Mar 2023 10:21:07 +0000",
	    "unknown", "unknown", "2001:db8::5", "mx.example.com", "ESMTP",
	    "1", NULL, "2023-03-14T10:21:07Z");
	/* exim */
	check("from [198.51.100.7] (helo=laptop.local) by smtp.example.net "
	    "with esmtpsa (TLS1.3) tls TLS_AES_256_GCM_SHA384 (Exim 4.96) "
	    "(envelope-from <alice@example.net>) id 1pbq3T-0004Xx-2k for "
	    "bob@example.com; Tue, 14 Mar 2023 09:20:59 +0000",
	    "laptop.local", NULL, "198.51.100.7", "smtp.example.net",
	    "esmtpsa tls TLS_AES_256_GCM_SHA384", "1pbq3T-0004Xx-2k",
	    "bob@example.com", "2023-03-14T09:20:59Z");
	check("from host.example ([203.0.113.9] helo=other.example) by "
	    "mx.example with esmtp (Exim 4.94.2) id 1abc; "
	    "Mon, 06 Feb 2023 11:00:00 +0100", "host.example", NULL,
	    "203.0.113.9", "mx.example", "esmtp", "1abc", NULL,
	    "2023-02-06T10:00:00Z");
	/* sendmail */
	check("from helo.example (rdns.example.org [203.0.113.5] (may be "
	    "forged)) by host.example.com (8.15.2/8.15.2) with ESMTP id "
	    "2AB3CdEf012345 for <carol@example.com>; Wed, 1 Feb 2023 12:00:00 "
	    "-0500", "helo.example", "rdns.example.org", "203.0.113.5",
	    "host.example.com", "ESMTP", "2AB3CdEf012345",
	    "carol@example.com", "2023-02-01T17:00:00Z");
	/* Exchange */
	check("from EX01.contoso.local (10.1.2.3) by EX02.contoso.local "
	    "(10.1.2.4) with Microsoft SMTP Server (version=TLS1_2, "
	    "cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.1.2507.23; "
	    "Thu, 2 Mar 2023 08:15:30 -0800", "EX01.contoso.local", NULL,
	    "10.1.2.3", "EX02.contoso.local", "Microsoft SMTP Server",
	    "15.1.2507.23", NULL, "2023-03-02T16:15:30Z");
	/* Gmail */
	check("from mail-sor-f41.google.com (mail-sor-f41.google.com. "
	    "[209.85.220.41]) by mx.google.com with SMTPS id "
	    "a1sor123456lfg.42.2023.03.14.02.21.06 for <bob@example.com> "
	    "(Google Transport Security); Tue, 14 Mar 2023 02:21:07 -0700 "
	    "(PDT)", "mail-sor-f41.google.com", "mail-sor-f41.google.com",
	    "209.85.220.41", "mx.google.com", "SMTPS",
	    "a1sor123456lfg.42.2023.03.14.02.21.06", "bob@example.com",
	    "2023-03-14T09:21:07Z");
	check("by 2002:a05:6a10:a0d1:b0:3e1:2a3b:4c5d with SMTP id "
	    "x17csp123456pxa; Tue, 14 Mar 2023 02:21:07 -0700 (PDT)", NULL,
	    NULL, NULL, "2002:a05:6a10:a0d1:b0:3e1:2a3b:4c5d", "SMTP",
	    "x17csp123456pxa", NULL, "2023-03-14T09:21:07Z");
}

static void
test_junk(void **state)
{
	json_object *h;
	char big[20000];

	(void)state;
	check("total junk", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	check("", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	check("from ((((((( by ;;;", NULL, NULL, NULL, NULL, NULL, NULL, NULL,
	    NULL);
	h = received_parse("from x; not a date");
	assert_string_equal(get(h, "date", NULL), "not a date");
	assert_null(get(h, "ts", NULL));
	json_object_put(h);
	memset(big, '(', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	json_object_put(received_parse(big));
	memset(big, 'a', sizeof(big) - 1);
	json_object_put(received_parse(big));
}

/* A comment left open by the end of the header: its last byte is not a
 * ')' to strip; cutting it split a UTF-8 character (fuzz regressions
 * invalid-utf8-rdns-cut*). */
static void
test_unclosed_comment(void **state)
{
	(void)state;
	check("from x (h\xc3\xa9", "x", "h\xc3\xa9", NULL, NULL, NULL, NULL,
	    NULL, NULL);
	check("from x (rdns.example [10.0.0.1]", "x", "rdns.example",
	    "10.0.0.1", NULL, NULL, NULL, NULL, NULL);
	check("from x (\xef\xbf\xbd", "x", "\xef\xbf\xbd", NULL, NULL, NULL,
	    NULL, NULL, NULL);
	check("from x (a.example (nested) by y", "x", "a.example", NULL, NULL,
	    NULL, NULL, NULL, NULL);
	check("from x ()", "x", NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	check("from x (", "x", NULL, NULL, NULL, NULL, NULL, NULL, NULL);
}

/* Dates to UTC ISO 8601; none for what GMime cannot read (it says the
 * epoch) or for a time past GDateTime's end (year 9999). */
static void
test_dates_to_utc(void **state)
{
	static const char *const cases[][2] = {
		{ "Mon, 13 Nov 2023 10:00:55 +0000 (UTC)",
		    "2023-11-13T10:00:55Z" },
		{ "Sat, 29 Feb 2020 12:00:00 +0530", "2020-02-29T06:30:00Z" },
		{ "13 Nov 2023 10:00 EST", "2023-11-13T15:00:00Z" },
		{ "Wed, 31 Dec 1969 23:59:59 +0000", "1969-12-31T23:59:59Z" },
		{ "1 Jan 99 00:00:00 +0000", "1999-01-01T00:00:00Z" },
		{ "Thu, 1 Jan 1970 00:00:00 +0000", "" },
		{ "31 Dec 9999 23:59:59 -1200", "" },
		{ "garbage", "" },
	};
	char iso[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int r = received_date_iso(cases[i][0], iso);

		assert_int_equal(r, cases[i][1][0] ? 0 : -1);
		assert_string_equal(iso, cases[i][1]);
	}
}

/* What date_strict.c reads, and what it leaves to GMime. */
static void
test_strict_form(void **state)
{
	static const char *const ours[] = {
		"Sat, 5 Dec 2026 08:28:44 +0000",
		"Sat, 05 Dec 2026 08:28:44 +0000 (UTC)",
		"5 Dec 2026 08:28:44 -0800",
		"Sat,  5 Dec 2026  08:28:44\t+0100 (CET) ",
		"Thu, 29 Feb 2024 23:59:59 -2359",
	};
	static const char *const gmime[] = {
		"", "Tue,", "Tue, ", "Tue, 5", "Tue, 5 De", "5 Dec 26 08:28:44 +0000",
		"5 Dec 2026 08:28 +0000", "5 Dec 2026 08:28:44 GMT",
		"5 Dec 2026 08:28:44 +0000 GMT", "Wed, 5 Dec 2026 08:28:44 +0000",
		"31 Feb 2026 08:28:44 +0000", "29 Feb 2023 08:28:44 +0000",
		"5 Dec 2026 24:00:00 +0000", "5 Dec 2026 23:59:60 +0000",
		"5 Dec 2026 08:28:44 +2400", "5 dec 2026 08:28:44 +0000",
		"5 Dec 2026 08:28:44 +0000 (a) (b)", "5 Dec 2026 08:28:44 +0000 (",
		"5 Dec 2026 08:28:44 +000", "0 Dec 2026 08:28:44 +0000",
		"Tue 5 Dec 2026 08:28:44 +0000", "05 Dec 1969 08:28:44 +0000",
	};
	int64_t t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ours) / sizeof(ours[0]); i++)
		if (!date_strict_parse(ours[i], &t))
			fail_msg("not read: \"%s\"", ours[i]);
	assert_true(date_strict_parse(ours[0], &t));
	assert_int_equal(t, 1796459324);	/* date -d ... +%s */
	for (i = 0; i < sizeof(gmime) / sizeof(gmime[0]); i++)
		if (date_strict_parse(gmime[i], &t))
			fail_msg("read, should be GMime's: \"%s\"", gmime[i]);
}

/* GMime's reading of a date, formatted as received_date_iso() does. */
static void
gmime_iso(const char *s, char out[32])
{
	GDateTime *dt = g_mime_utils_header_decode_date(s);
	gint64 t;
	time_t tt;
	struct tm tm;

	out[0] = '\0';
	if (dt == NULL)
		return;
	t = g_date_time_to_unix(dt);
	g_date_time_unref(dt);
	tt = (time_t)t;
	if (t != 0 && t <= INT64_C(253402300799) && gmtime_r(&tt, &tm) != NULL)
		strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Random dates in the strict form and near it (wrong weekdays, leap days,
 * zones far off, comments, extra blanks): the same as GMime's reading. */
static void
test_same_as_gmime(void **state)
{
	static const char *const mon[12] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	static const char *const wd[7] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char *const tails[4] = { "", " (UTC)", "  (envelope)",
	    "\t(PST) " };
	char date[128], a[32], b[32];
	int i, fast = 0;

	(void)state;
	g_mime_init();
	for (i = 0; i < 20000; i++) {
		int y = (int)(next_rand() % 4) == 0 ? 1000 + (int)(next_rand() %
		    9000) : 1960 + (int)(next_rand() % 100);
		int m = (int)(next_rand() % 12), d = 1 + (int)(next_rand() % 31);
		int w = (int)(next_rand() % 8), zh = (int)(next_rand() % 24);
		int64_t t;
		int r;

		snprintf(date, sizeof(date), "%s%s%d %s %04d %02d:%02d:%02d "
		    "%c%02d%02d%s", w < 7 ? wd[w] : "", w < 7 ? ", " : "", d,
		    mon[m], y, (int)(next_rand() % 24),
		    (int)(next_rand() % 60), (int)(next_rand() % 60),
		    next_rand() % 2 ? '+' : '-', zh,
		    (int)(next_rand() % 4) * 15, tails[next_rand() % 4]);
		fast += date_strict_parse(date, &t);
		r = received_date_iso(date, a);
		gmime_iso(date, b);
		if ((r == 0) != (b[0] != '\0') || strcmp(a, b) != 0)
			fail_msg("\"%s\": %s, GMime %s", date, a, b);
	}
	/* the fast way: real dates from 1970 without a weekday (an eighth)
	 * or with the right one (a seventh of the rest): about a fifth */
	assert_true(fast > 2000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates_to_utc),
		cmocka_unit_test(test_strict_form),
		cmocka_unit_test(test_same_as_gmime),
		cmocka_unit_test(test_mtas),
		cmocka_unit_test(test_junk),
		cmocka_unit_test(test_unclosed_comment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
