"""(being written this session)"""

from flask import Blueprint

bp = Blueprint("event_links", __name__)
