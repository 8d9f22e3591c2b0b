"""Text helpers shared by every part: the HTML sanitiser and plain text, dates and names in
each language."""
