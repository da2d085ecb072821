/* output_html_css.h: the style sheet of the --html page, inlined so the
 * page needs nothing else (no web font, no URL of any kind).
 * Lifelines are the ladder's left and right borders; an arrow is a block
 * whose bottom border is the shaft and whose ::after is the head. */
#ifndef SMTPSCOPE_OUTPUT_HTML_CSS_H
#define SMTPSCOPE_OUTPUT_HTML_CSS_H

#define OUTPUT_HTML_CSS							\
"body{font:14px/1.35 sans-serif;margin:16px 24px;color:#222;"		\
"background:#fff}\n"							\
"h1{font-size:20px}h2{font-size:17px;margin:28px 0 2px}"		\
"h3{font-size:15px;margin:14px 0 4px}h4{font-size:13px;margin:10px 0 2px}\n" \
".legend,.meta{color:#555;margin:2px 0}.anom{color:#b35900}\n"		\
".cut{color:#b35900;font-style:italic}\n"				\
".session{border-top:2px solid #ccc;padding-bottom:12px}\n"		\
".lanes{display:flex;justify-content:space-between;margin:10px 0 0 96px;" \
"font-weight:bold;max-width:900px}\n"					\
".ladder{position:relative;margin-left:96px;max-width:900px;"		\
"border-left:3px solid #555;border-right:3px solid #555;padding:4px 0 8px}\n" \
".a{position:relative;margin:2px 0 10px;padding:1px 16px 2px;"	\
"border-bottom:2px solid #888}\n"					\
".a::after{content:\"\";position:absolute;bottom:-7px;"		\
"border-top:6px solid transparent;border-bottom:6px solid transparent}\n" \
".a.c::after{right:0;border-left:12px solid #888}\n"			\
".a.s::after{left:0;border-right:12px solid #888}\n"			\
".a.c{border-bottom-color:#1f4e9c}.a.c::after{border-left-color:#1f4e9c}\n" \
".a.s.k2{border-bottom-color:#1a7f37}.a.s.k2::after{border-right-color:#1a7f37}\n" \
".a.s.k3{border-bottom-color:#1f6feb}.a.s.k3::after{border-right-color:#1f6feb}\n" \
".a.s.k4{border-bottom-color:#d97706}.a.s.k4::after{border-right-color:#d97706}\n" \
".a.s.k5{border-bottom-color:#cf222e}.a.s.k5::after{border-right-color:#cf222e}\n" \
".a .t{position:absolute;left:-96px;width:86px;bottom:-8px;"		\
"text-align:right;font-size:11px;color:#666}\n"			\
".a .l{font:13px/1.3 monospace;white-space:pre-wrap;"			\
"overflow-wrap:anywhere}\n"						\
".a.s .l{padding-left:18%}.a.c .l{padding-right:18%;color:#1f4e9c}\n"	\
".a.n .l{font-style:italic;color:#555}\n"				\
".ms{display:block;color:#333;font-style:normal}\n"			\
".x{display:block;font:12px/1.35 sans-serif;color:#444;"		\
"background:#f3f6fa;border-left:3px solid #9bb;padding:1px 6px;"	\
"margin:3px 0 1px;white-space:pre-line}\n"				\
".a.c .x{margin-right:18%}.a.s .x{margin-left:18%}\n"			\
".txn{margin:4px 0 0 96px;max-width:900px;padding:3px 12px}\n"		\
".txn:empty{display:none}\n"						\
"#ex:not(:checked)~section .x{display:none}\n"			\
"label{color:#555}\n"							\
"b.k2{color:#1a7f37}b.k3{color:#1f6feb}b.k4{color:#d97706}"		\
"b.k5{color:#cf222e}b.k0{color:#666}\n"				\
".tx{margin:8px 0 0 96px;max-width:900px;border:1px solid #ddd;"	\
"padding:4px 12px 8px;background:#fbfbfb}\n"				\
"table{border-collapse:collapse}th,td{text-align:left;"		\
"vertical-align:top;padding:1px 10px 1px 0}th{white-space:nowrap}\n"	\
"td{overflow-wrap:anywhere}\n"						\
".hops{display:flex;flex-wrap:wrap;list-style:none;padding:0;"	\
"margin:4px 0;gap:4px 28px}\n"						\
".hops li{position:relative;border:1px solid #999;border-radius:4px;" \
"padding:3px 8px;background:#fff;max-width:380px}\n"			\
".hops li+li::before{content:\"\\2192\";position:absolute;left:-22px;" \
"top:30%;font-size:18px;color:#555}\n"					\
".hops span{display:block}.hopn{font-size:11px;color:#666}"		\
".hby{font-weight:bold}.hmore,.hdate{font-size:12px;color:#555}\n"	\
".mime,.mime ul{margin:2px 0;padding-left:20px}.ct{font-family:monospace}" \
".hash{font:12px monospace;color:#666}.fn{font-weight:bold}\n"		\
".none{color:#999}\n"

#endif
