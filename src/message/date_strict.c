/* date_strict.c: most dates in Received and Date fields have one form
 * ("Tue, 5 Dec 2026 08:28:44 +0000 (UTC)"). Reading that form here costs
 * a tenth of g_mime_utils_header_decode_date(), which tokenises, builds
 * a GDateTime and its time zone for every date. Anything else, and any
 * doubt (a two-digit year, a zone name, a leap second, a weekday that
 * does not match, a year before 1970), is left to GMime, so the results
 * are GMime's (tests/unit/test_received.c compares the two). */
#include <string.h>

#include "date_strict.h"

static const char months[12][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};
static const char weekdays[7][4] = {	/* from Thursday, 1 January 1970 */
	"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed",
};

/* n decimal digits at *p, moved past. -1 if not all digits. */
static int
digits(const char **p, int n)
{
	int v = 0;

	for (; n > 0; n--, (*p)++) {
		if (**p < '0' || **p > '9')
			return -1;
		v = v * 10 + (**p - '0');
	}
	return v;
}

/* At least one space or tab. */
static int
spaces(const char **p)
{
	const char *s = *p;

	while (**p == ' ' || **p == '\t')
		(*p)++;
	return *p > s;
}

static int
name_index(const char **p, const char (*names)[4], int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (strncmp(*p, names[i], 3) == 0) {
			*p += 3;
			return i;
		}
	return -1;
}

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1970-01-01 to y-m-d (m 1..12): H. Hinnant's days_from_civil. */
static int64_t
days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* After the zone: the end, or one comment ending the string. */
static int
tail_ok(const char *p)
{
	size_t n;

	spaces(&p);
	if (*p == '\0')
		return 1;
	n = strlen(p);
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return p[0] == '(' && n >= 2 && p[n - 1] == ')' &&
	    memchr(p + 1, '(', n - 2) == NULL &&
	    memchr(p + 1, ')', n - 2) == NULL;
}

int
date_strict_parse(const char *s, int64_t *t)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	const char *p = s;
	int wday = -1, day, mon, year, hh, mm, ss, zh, zm, zsign;
	int64_t days;

	if (p[0] >= 'A' && p[0] <= 'Z' && p[1] != '\0' && p[2] != '\0' &&
	    p[3] == ',') {
		if ((wday = name_index(&p, weekdays, 7)) < 0)
			return 0;
		p++;
		spaces(&p);
	}
	if (p[0] < '0' || p[0] > '9')
		return 0;
	day = p[1] >= '0' && p[1] <= '9' ? digits(&p, 2) : digits(&p, 1);
	if (day < 1 || !spaces(&p) || (mon = name_index(&p, months, 12)) < 0 ||
	    !spaces(&p) || (year = digits(&p, 4)) < 0 || !spaces(&p) ||
	    (hh = digits(&p, 2)) < 0 || *p++ != ':' ||
	    (mm = digits(&p, 2)) < 0 || *p++ != ':' ||
	    (ss = digits(&p, 2)) < 0 || !spaces(&p))
		return 0;
	if (*p != '+' && *p != '-')
		return 0;
	zsign = *p++ == '-' ? -1 : 1;
	if ((zh = digits(&p, 2)) < 0 || (zm = digits(&p, 2)) < 0 ||
	    !tail_ok(p))
		return 0;
	/* GMime reads no year before 1969 (and 1969 is rare): its own */
	if (year < 1970 || day > mdays[mon] + (mon == 1 && leap(year)) ||
	    hh > 23 || mm > 59 || ss > 59 || zh > 23 || zm > 59)
		return 0;
	days = days_from_civil(year, mon + 1, day);
	if (wday >= 0 && wday != (int)(((days % 7) + 7) % 7))
		return 0;
	*t = days * 86400 + hh * 3600 + mm * 60 + ss -
	    zsign * (zh * 3600 + zm * 60);
	return 1;
}
