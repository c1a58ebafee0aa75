import pytest

from loom import RushDB


@pytest.fixture
def db(tmp_path):
    with RushDB(str(tmp_path / "test.db")) as database:
        yield database
