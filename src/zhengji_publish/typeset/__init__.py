"""Chinese paragraph layout: clreq line breaking, punctuation compression and justification.

Independent of reportlab: it measures with the fonts' own metrics and returns positioned boxes
that the PDF writer draws.
"""
