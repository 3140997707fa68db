"""What the back office adds to the attendance list: importing the online platform's report.

Imports are the back office's (backoffice/imports/), so the registrations app's admin class is
registered again here with the import added, as backoffice/admin/registrations.py adds exports.
"""

from django.contrib import admin

from backoffice.imports.attendance import AttendanceResource
from forum.imports import EditionImportMixin
from registrations.admin.online import AttendanceAdmin
from registrations.models import Attendance


class AttendanceImportAdmin(EditionImportMixin, AttendanceAdmin):
    resource_classes = [AttendanceResource]


admin.site.unregister(Attendance)
admin.site.register(Attendance, AttendanceImportAdmin)
