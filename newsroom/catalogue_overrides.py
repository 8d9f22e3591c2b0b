"""Other packages' messages that our catalogue translates in its own words.

Django's admin writes its French for one grammatical gender and without French typography
(« campagnes sélectionnés », « Modification de organisation », a straight apostrophe, no space
before a colon); our catalogue, read before any package's, says the same in words that agree
with any of our models. No code of ours says these messages, so makemessages, which keeps no
obsolete entry, would drop their translations: marking them here keeps them. Nothing imports
this module; only extraction reads it.
"""

from django.utils.translation import gettext_noop

# Django's admin (django/contrib/admin); "View %s" is also django-simple-history's.
DJANGO_ADMIN = [
    gettext_noop("Delete selected %(verbose_name_plural)s"),
    gettext_noop("%(app)s administration"),
    gettext_noop("Add link"),
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop("Changed {fields} for {name} “{object}”."),
    gettext_noop("Add another %(verbose_name)s"),
    gettext_noop("Add %s"),
    gettext_noop("Change %s"),
    gettext_noop("View %s"),
    gettext_noop("Select %s to change"),
    gettext_noop("Select %s to view"),
]
