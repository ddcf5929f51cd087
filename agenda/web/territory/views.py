"""(being written this session)"""

from flask import Blueprint

bp = Blueprint("territory", __name__)
