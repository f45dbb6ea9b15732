"""eventwatch: political event data from news, offline, with the sentence that says so."""

__version__ = "0.1.0"
