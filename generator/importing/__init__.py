"""`build.py import`: badges, structures and earlier awards brought from another Open Badges
platform (Badgr, Open Badge Factory, any Open Badges 2.0 source) into the content repository.

Reading (one module per kind of source, standards-facing: JSON in, `records` out) stays
apart from writing (`write.py`: the records as repository files, for review in a pull
request). Nothing is fetched: URLs in the data are kept as text.
"""
