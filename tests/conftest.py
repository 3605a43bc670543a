import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from .world import build_world


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    # PBKDF2 at full strength costs seconds per sign-in; tests are not attacking themselves.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _tasks_inline():
    # Background tasks run in the test's own process, as they do without a broker, even
    # where REDIS_URL is set (CI): a test that needs a real worker starts one itself.
    from smt_portal.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture(autouse=True, scope="session")
def _imports_in_a_temporary_folder(tmp_path_factory):
    # Uploaded outcome files go to a folder of the run's own, never the project's.
    storages = {**settings.STORAGES}
    storages["imports"] = {
        **storages["imports"],
        "OPTIONS": {
            **storages["imports"]["OPTIONS"],
            "location": tmp_path_factory.mktemp("imports"),
        },
    }
    override = override_settings(STORAGES=storages)
    override.enable()
    yield
    override.disable()


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
