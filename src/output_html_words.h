/* output_html_words.h: the --html page's own words (headings, legend,
 * labels) in each language of --lang; the notes come from explain.h.
 * A new language is one more column in output_html_words.c. */
#ifndef SMTPSCOPE_OUTPUT_HTML_WORDS_H
#define SMTPSCOPE_OUTPUT_HTML_WORDS_H

enum html_word {
	HW_LANG,		/* the page's lang attribute */
	HW_LEGEND,		/* the paragraph under the title (HTML) */
	HW_SHOW_NOTES,		/* the check box that hides the notes */
	HW_SESSION,
	HW_CLIENT,
	HW_SERVER,
	HW_ENDED,
	HW_STILL_OPEN,
	HW_NO_SESSION,
	HW_TRANSACTION,
	HW_ENVELOPE,
	HW_HEADERS,
	HW_RECEIVED,
	HW_HOP,
	HW_NO_REPLY,
	HW_COUNT
};

/* The word in lang (enum explain_lang); English for an unknown lang. */
const char	*output_html_word(int lang, enum html_word);

#endif
