/* output_html_words.c: the --html page's own words, one column per
 * language (English, French). Words are HTML made by us: entities allowed,
 * nothing from the wire. */
#include "explain.h"
#include "output_html_words.h"

static const char *const words[HW_COUNT][2] = {
	[HW_LANG] = { "en", "fr" },
	[HW_LEGEND] = {
	    "One arrow per command line (client &rarr; server) and per reply "
	    "(server &rarr; client; a multi-line reply is one arrow). Reply "
	    "codes: <b class=\"k2\">2xx done</b> <b class=\"k3\">3xx go on</b> "
	    "<b class=\"k4\">4xx try later</b> <b class=\"k5\">5xx "
	    "refused</b>. <i>Italic</i> lines are smtpscope's notes (a "
	    "message, hidden credentials, TLS bytes), not wire text. Left of "
	    "each arrow: the time since the previous one; beside it, in a "
	    "box, what the line means.",
	    "Une fl&egrave;che par ligne de commande (client &rarr; serveur) "
	    "et par r&eacute;ponse (serveur &rarr; client ; une r&eacute;ponse "
	    "sur plusieurs lignes est une seule fl&egrave;che). Codes : "
	    "<b class=\"k2\">2xx fait</b> <b class=\"k3\">3xx continuez</b> "
	    "<b class=\"k4\">4xx r&eacute;essayez plus tard</b> "
	    "<b class=\"k5\">5xx refus&eacute;</b>. Les lignes en "
	    "<i>italique</i> sont des notes de smtpscope (un message, un mot "
	    "de passe masqu&eacute;, des octets TLS), pas le texte "
	    "&eacute;chang&eacute;. &Agrave; gauche de chaque fl&egrave;che : "
	    "le temps depuis la pr&eacute;c&eacute;dente ; dans l'encadr&eacute;, "
	    "ce que la ligne veut dire." },
	[HW_SHOW_NOTES] = { "show the explanations",
	    "afficher les explications" },
	[HW_SESSION] = { "Session", "Session" },
	[HW_CLIENT] = { "client", "client" },
	[HW_SERVER] = { "server", "serveur" },
	[HW_ENDED] = { "ended", "fin" },
	[HW_STILL_OPEN] = { "still open", "encore ouverte" },
	[HW_NO_SESSION] = { "No SMTP session in the capture.",
	    "Aucune session SMTP dans la capture." },
	[HW_TRANSACTION] = { "Transaction", "Transaction" },
	[HW_ENVELOPE] = { "Envelope", "Enveloppe" },
	[HW_HEADERS] = { "Headers", "En-t&ecirc;tes" },
	[HW_RECEIVED] = { "Received path, oldest hop first",
	    "Chemin (Received), du plus ancien relais au plus r&eacute;cent" },
	[HW_HOP] = { "hop", "relais" },
	[HW_NO_REPLY] = { "no reply seen", "aucune r&eacute;ponse vue" },
};

const char *
output_html_word(int lang, enum html_word w)
{
	int col = lang == EXPLAIN_LANG_FR ? 1 : 0;

	if ((unsigned)w >= HW_COUNT)
		return "";
	return words[w][col] != NULL ? words[w][col] : words[w][0];
}
