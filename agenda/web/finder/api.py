"""(being written this session)"""

from flask import Blueprint

bp = Blueprint("directory_api", __name__)
