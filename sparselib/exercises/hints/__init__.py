"""The hints of the exercises' checks, one module per chapter (``hints.ch03.HINTS``): the
chapter's module (``exercises.ch03``) holds the checks and reference solutions and imports its
hints from here."""
