from tests.conftest import UPDATE_GOLDEN


def test_golden_update_flag_is_off():
    assert not UPDATE_GOLDEN, "BULLETIN_UPDATE_GOLDEN=1 rewrites golden files: unset it and run the tests again"
