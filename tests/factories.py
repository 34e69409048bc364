import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from claims.models import Claim, ClaimProposal
from config.roles import ANALYST, VIEWER
from sources.services import source_content_hash


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])


def _add_to_group(default_role: str):
    def add(user, create, extracted, **kwargs):
        if create:
            user.groups.add(Group.objects.get_or_create(name=extracted or default_role)[0])

    return factory.PostGeneration(add)


class AnalystFactory(UserFactory):
    role = _add_to_group(ANALYST)


class ViewerFactory(UserFactory):
    role = _add_to_group(VIEWER)


class SourceFactory(factory.django.DjangoModelFactory):
    """A stored source. Built directly for fixtures; tests of ingest itself go through source_create."""

    class Meta:
        model = "sources.Source"

    title = factory.Sequence(lambda n: f"Report {n}")
    outlet = "Example Wire"
    text = factory.Sequence(
        lambda n: f"Report {n}. Officials said the convoy crossed the border in 2018. Moscow denied it on Monday."
    )
    content_hash = factory.LazyAttribute(lambda o: source_content_hash(o.text))


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClaimProposal

    source = factory.SubFactory(SourceFactory)
    start = factory.LazyAttribute(lambda o: o.source.text.index("Officials"))
    end = factory.LazyAttribute(lambda o: o.source.text.index("2018.") + len("2018."))
    text = factory.LazyAttribute(lambda o: o.source.text[o.start : o.end])
    score = 0.7
    pipeline = "test"
    pipeline_version = "1"


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    source = factory.SubFactory(SourceFactory)
    start = factory.LazyAttribute(lambda o: o.source.text.index("Officials"))
    end = factory.LazyAttribute(lambda o: o.source.text.index("2018.") + len("2018."))
    quote = factory.LazyAttribute(lambda o: o.source.text[o.start : o.end])
    text = factory.LazyAttribute(lambda o: o.quote)
