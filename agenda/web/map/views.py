"""(being written this session)"""

from flask import Blueprint

bp = Blueprint("map", __name__)
