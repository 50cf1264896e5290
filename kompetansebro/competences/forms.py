from kompetansebro.core.versioning import VersionedForm


class TaggedVersionedForm(VersionedForm):
    """An edit form whose `tags` field is written as text ("varmepumpe, F-gass") and cleans to tag names."""

    def edit_value(self, obj, name: str):
        if name == "tags":
            return [tag.name for tag in obj.tags.all()]
        return super().edit_value(obj, name)

    def data_value(self, name: str, value):
        if name == "tags":
            return ", ".join(value)
        return super().data_value(name, value)
