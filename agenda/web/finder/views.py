"""(being written this session)"""

from flask import Blueprint

bp = Blueprint("finder", __name__)
