"""Constants shared across groomstats modules.

Examples
--------
>>> from groomstats._constants import SERIES_BREAK, GROOMING_CODE
>>> SERIES_BREAK.isoformat(), GROOMING_CODE
('2017-04-01', '88A')
"""

from __future__ import annotations

from datetime import date

__all__ = ["GROOMING_CODE", "SERIES_BREAK"]

#: First day of the 88A series that includes sexual communication with a child (s.15A of the
#: Sexual Offences Act 2003, in force 3 April 2017; Home Office counts from the 2017/18
#: financial year). 88A before this date is not comparable with 88A from it.
SERIES_BREAK: date = date(2017, 4, 1)

#: Home Office offence classification code for "Sexual grooming".
GROOMING_CODE: str = "88A"
