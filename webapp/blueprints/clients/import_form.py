"""The upload field of a CSV import of clients."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired


class ImportForm(FlaskForm):
    file = FileField("CSV file", validators=[FileRequired("Choose a CSV file to import.")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="import", **kwargs)
