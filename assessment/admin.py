"""The standard in the admin site: a federation administrator edits areas, items, points and
pass marks, or adds a standard with a later effective date. Rounds keep the copy they were
opened with, so an edit never changes a round or a finished assessment."""

from django import forms
from django.contrib import admin

from .models import Area, Item, Standard
from .sources import source_choices


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0


class ItemForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = ["area", "code", "text", "points", "kind", "source", "evidence", "order"]
        widgets = {"source": forms.Select}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].widget.choices = [("", "—"), *source_choices()]


class ItemInline(admin.TabularInline):
    model = Item
    form = ItemForm
    extra = 0


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ("name", "effective_from", "pass_mark")
    inlines = [AreaInline]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("name", "standard", "order", "min_points")
    list_filter = ("standard",)
    inlines = [ItemInline]
