"""Places: an offline GeoNames gazetteer, toponym recognition and resolution, event locations.

>>> from eventwatch.places import geoparse
>>> places = geoparse(doc, dateline="Beirut")
"""

from __future__ import annotations

from eventwatch.places.gazetteer import Gazetteer, GazetteerUnavailable, build, default_path, get_gazetteer
from eventwatch.places.geoparse import event_location, geoparse, is_metonym, resolve_dateline
from eventwatch.places.recognize import Mention, recognize
from eventwatch.places.resolve import candidates, resolve_mentions

__all__ = [
    "Gazetteer", "GazetteerUnavailable", "Mention", "build", "candidates", "default_path", "event_location",
    "geoparse", "get_gazetteer", "is_metonym", "recognize", "resolve_dateline", "resolve_mentions",
]
