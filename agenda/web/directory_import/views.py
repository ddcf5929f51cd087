"""(being written this session)"""

from flask import Blueprint

bp = Blueprint("directory_import", __name__)
