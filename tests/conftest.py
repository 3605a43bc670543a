import pytest
from django.conf import settings
from django.core.cache import cache

from .world import build_world


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    # PBKDF2 at full strength costs seconds per sign-in; tests are not attacking themselves.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    # Records from one test reuse the ids of another's; nothing cached may cross over.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def client_for(client):
    """A test client signed in as the given person."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
