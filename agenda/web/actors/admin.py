"""(being written this session)"""

from flask import Blueprint

bp = Blueprint("admin_actors", __name__)
