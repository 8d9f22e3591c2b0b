"""Canadian French formats (Office québécois de la langue française): “9 mai 2021”, “6 h 00”,
numeric dates in ISO order, weeks starting on Sunday. Django's own ``fr`` formats are France's.
Also the newsroom's own formats, which every language defines (``newsroom/formats/en``).
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "G\xa0\\h\xa0i"
DATETIME_FORMAT = "j F Y, G\xa0\\h\xa0i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d G\xa0\\h\xa0i"
FIRST_DAY_OF_WEEK = 0  # Sunday, as Canadian calendars print it
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3

# The newsroom's own: « Ottawa (Ontario), le 9 mai 2021 », « SOUS EMBARGO JUSQU’À 6 h 00 HAE,
# dimanche 9 mai 2021 », « mardi 4 juin 2030 », « du 9 au 15 mai 2021 », the desk's
# « dimanche 9 mai 2021, 6 h 00 HAE ». The first of the month is “1er” (``first_of_month``).
DATELINE_DATE_FORMAT = "\\l\\e j F Y"
EMBARGO_TIME_FORMAT = "G\xa0\\h\xa0i"
EMBARGO_DATE_FORMAT = "l j F Y"
WEEKDAY_DATE_FORMAT = "l j F Y"
PERIOD_WITHIN_MONTH = "du %(start)s au %(end)s %(month)s %(year)s"
PERIOD_MONTH_FORMAT = "F"
PERIOD_WITHIN_YEAR = "du %(start)s au %(end)s %(year)s"
PERIOD_DAY_FORMAT = "j F"
PERIOD_ACROSS_YEARS = "du %(start)s au %(end)s"
DESK_MOMENT_FORMAT = "l j F Y, G\xa0\\h\xa0i"
DESK_MOMENT_IN_SENTENCE_FORMAT = "l j F Y à G\xa0\\h\xa0i"
DESK_SHORT_MOMENT_FORMAT = "j F, G\xa0\\h\xa0i"
DESK_SHORT_MOMENT_OTHER_YEAR_FORMAT = "j F Y, G\xa0\\h\xa0i"
DESK_TIME_FORMAT = "G\xa0\\h\xa0i"
REVIEW_MOMENT_FORMAT = "l j F Y, G\xa0\\h\xa0i"
# None beyond the page's language (“fr”): the browser's French times follow the scripts' own
# rules, and link previews' locale the newsroom's zone (``og_locale``).
LANGUAGE_TAG = ""
